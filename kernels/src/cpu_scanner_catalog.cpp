// The CPU scanners this build knows, most preferred first, and whether this CPU can run them.
#include "cpu/cpu_scanners.hpp"
#include "ih/kernels/cpu_features.hpp"
#include "ih/kernels/scanner_catalog.hpp"

namespace ih::kernels {

namespace {

ScannerEntry entry(std::string name, bool runnable, std::string why_not,
                   std::function<std::unique_ptr<Scanner>()> make) {
  return {std::move(name), DeviceKind::cpu, runnable, runnable ? "" : std::move(why_not),
          std::move(make)};
}

}  // namespace

std::vector<ScannerEntry> cpu_scanner_catalog() {
  std::vector<ScannerEntry> catalog;
#if defined(__x86_64__)
  const CpuFeatures& f = cpu_features();
  catalog.push_back(entry("avx512", f.avx512f && f.avx512vl,
                          !f.avx512f ? "CPU lacks avx512f" : "CPU lacks avx512vl",
                          cpu::make_avx512_scanner));
  catalog.push_back(entry("sha-ni", f.sha_ni && f.sse41,
                          !f.sha_ni ? "CPU lacks sha_ni" : "CPU lacks sse4.1",
                          cpu::make_sha_ni_scanner));
  catalog.push_back(entry("avx2", f.avx2, "CPU lacks avx2 (or the OS does not save ymm state)",
                          cpu::make_avx2_scanner));
#endif
  catalog.push_back(entry("portable", true, "", cpu::make_portable_scanner));
  catalog.push_back(entry("reference", true, "", make_reference_scanner));
  return catalog;
}

}  // namespace ih::kernels
