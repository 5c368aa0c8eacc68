// The CUDA scanner on a real GPU against the reference. Skips, saying why, where there is none
// (as on the CI machine); scripts/gpu-check.sh runs it on GPU hosts.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>

#include "gpu_test_support.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace {

using ih::kernels::Candidates;
using ih::kernels::GpuScanner;
using ih::kernels::GpuScanOptions;
using ih::kernels::Work;
using ih::test::make_test_work;
using ih::test::reference_candidates;
using ih::test::sorted;

std::unique_ptr<GpuScanner> open_cuda(const GpuScanOptions& options, std::string& why) {
  for (ih::kernels::ScannerEntry& entry : ih::kernels::cuda_scanner_catalog(options)) {
    if (!entry.runnable) {
      why += entry.name + ": " + entry.why_not + "; ";
      continue;
    }
    std::unique_ptr<ih::kernels::Scanner> scanner = entry.make();
    auto* gpu = dynamic_cast<GpuScanner*>(scanner.get());
    if (gpu == nullptr) continue;
    scanner.release();
    return std::unique_ptr<GpuScanner>(gpu);
  }
  return nullptr;
}

#define OPEN_OR_SKIP(scanner, options)                               \
  std::string why_;                                                  \
  std::unique_ptr<GpuScanner> scanner = open_cuda(options, why_);    \
  if (!scanner) GTEST_SKIP() << "no runnable CUDA device: " << why_; \
  ASSERT_EQ(scanner->error(), "")

std::vector<std::uint32_t> scan_all(GpuScanner& scanner, const Work& work, std::uint32_t first,
                                    std::uint32_t count) {
  Candidates out;
  EXPECT_EQ(scanner.scan(work, first, count, out), count);
  EXPECT_EQ(scanner.error(), "");
  return sorted(out.nonces);
}

TEST(CudaScanner, ExactCandidateSetsOver1MNonces) {
  OPEN_OR_SKIP(scanner, GpuScanOptions{});
  std::printf("%s\n", scanner->details().c_str());
  for (const std::uint32_t seed : {31u, 32u, 33u}) {
    const Work work = make_test_work(seed, 0x003fffff);
    EXPECT_EQ(scan_all(*scanner, work, seed * 1000003u, 1u << 20),
              reference_candidates(work, seed * 1000003u, 1u << 20));
  }
  EXPECT_EQ(scanner->stats().hardware_errors, 0u);
}

TEST(CudaScanner, RangeEndsWrapAndOverflow) {
  GpuScanOptions options;
  options.nonces_per_thread = 3;  // partial blocks everywhere
  OPEN_OR_SKIP(scanner, options);
  const Work sparse = make_test_work(34, 0x01ffffff);
  const std::pair<std::uint32_t, std::uint32_t> ranges[] = {
      {0xffffffffu - 99999, 100000}, {0xfffff000u, 90001}, {0xffffffffu, 1}, {5, 767}};
  for (const auto& [first, count] : ranges)
    EXPECT_EQ(scan_all(*scanner, sparse, first, count), reference_candidates(sparse, first, count))
        << first;
  const Work everything = make_test_work(35, 0xffffffff);
  EXPECT_EQ(scan_all(*scanner, everything, 0, 20000), reference_candidates(everything, 0, 20000));
  EXPECT_GE(scanner->stats().candidate_overflows, 1u);
}

TEST(CudaScanner, JobSwitchUnder100ms) {
  OPEN_OR_SKIP(scanner, GpuScanOptions{});
  const Work old_job = make_test_work(36, 0x0000ffff);
  const Work new_job = make_test_work(37, 0x00ffffff);
  Candidates warm;
  (void)scanner->scan(old_job, 0, 1u << 30, warm);  // lets the launch size settle
  Candidates out;
  std::uint64_t done = 0;
  const std::uint64_t launches_before = scanner->stats().launches;
  std::thread miner([&] { done = scanner->scan(old_job, 0, 0xffffffffu, out); });
  // Interrupt once launches are running (a busy machine may start the thread late).
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (scanner->stats().launches < launches_before + 2 &&
         std::chrono::steady_clock::now() < give_up)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto asked = std::chrono::steady_clock::now();
  scanner->interrupt();
  miner.join();
  const double switch_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - asked).count();
  ASSERT_GT(done, 0u);
  ASSERT_LT(done, 0xffffffffu);
  EXPECT_LT(switch_ms, 100.0);
  std::printf("job switch %.1f ms, launch %u nonces, %.1f ms\n", switch_ms,
              scanner->stats().nonces_per_launch, scanner->stats().last_launch_ms);
  EXPECT_EQ(scan_all(*scanner, new_job, 77, 1u << 20), reference_candidates(new_job, 77, 1u << 20));
}

}  // namespace
