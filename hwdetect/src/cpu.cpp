#include "ih/hwdetect/cpu.hpp"

#include <thread>

#include "ih/kernels/cpu_features.hpp"

#if defined(__linux__)
#include <sched.h>
#endif

namespace ih::hwdetect {

namespace {

unsigned usable_cpus() {
#if defined(__linux__)
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return static_cast<unsigned>(CPU_COUNT(&set));
#endif
  return std::thread::hardware_concurrency();
}

}  // namespace

CpuInfo detect_cpu() {
  const kernels::CpuFeatures& f = kernels::cpu_features();
  CpuInfo info;
  info.vendor = f.vendor.empty() ? "unknown" : f.vendor;
  info.model = f.brand.empty() ? "unknown" : f.brand;
  info.logical_cpus = usable_cpus();
  // Flag names follow /proc/cpuinfo so users can cross-check.
  const std::pair<bool, const char*> named[] = {
      {f.sse41, "sse4_1"},      {f.avx2, "avx2"},  {f.avx512f, "avx512f"}, {f.avx512vl, "avx512vl"},
      {f.avx512bw, "avx512bw"}, {f.sha_ni, "sha"}, {f.arm_sha2, "sha2"}};
  for (const auto& [present, name] : named)
    if (present) info.flags.emplace_back(name);
  return info;
}

}  // namespace ih::hwdetect
