// The Scanner objects around the ISA kernels: per-work precomputation, then the kernel.
#include "cpu/cpu_scanners.hpp"

#include "cpu/mining_precompute.hpp"
#include "cpu/scan_functions.hpp"

namespace ih::kernels::cpu {

namespace {

using ScanFunction = void (*)(const MiningPrecompute&, std::uint32_t, std::uint32_t, Candidates&);

class KernelScanner final : public Scanner {
 public:
  KernelScanner(std::string_view name, unsigned lanes, ScanFunction kernel)
      : name_(name), lanes_(lanes), scan_(kernel) {}
  std::string_view name() const override { return name_; }
  unsigned lanes() const override { return lanes_; }
  std::uint64_t scan(const Work& work, std::uint32_t first_nonce, std::uint32_t count,
                     Candidates& out) override {
    if (count == 0) return 0;
    MiningPrecompute pre;
    precompute_mining(work, pre);
    scan_(pre, first_nonce, count, out);
    return count;
  }

 private:
  std::string_view name_;
  unsigned lanes_;
  ScanFunction scan_;
};

}  // namespace

std::unique_ptr<Scanner> make_portable_scanner() {
  return std::make_unique<KernelScanner>("portable", kPortableGroups, scan_portable);
}

#if defined(__x86_64__)
std::unique_ptr<Scanner> make_avx2_scanner() {
  return std::make_unique<KernelScanner>("avx2", 8 * kAvx2Groups, scan_avx2);
}
std::unique_ptr<Scanner> make_avx512_scanner() {
  return std::make_unique<KernelScanner>("avx512", 16 * kAvx512Groups, scan_avx512);
}
std::unique_ptr<Scanner> make_sha_ni_scanner() {
  return std::make_unique<KernelScanner>("sha-ni", kShaNiStreams, scan_sha_ni);
}
#endif

}  // namespace ih::kernels::cpu
