// The OpenCL scanner on a real OpenCL device (PoCL's CPU device here) against the reference:
// exact candidate sets for several work-group sizes, range ends, a job switch mid-run.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <thread>

#include "gpu_test_support.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace {

using ih::kernels::Candidates;
using ih::kernels::DeviceKind;
using ih::kernels::GpuScanner;
using ih::kernels::GpuScanOptions;
using ih::kernels::ScannerEntry;
using ih::kernels::Work;
using ih::test::make_test_work;
using ih::test::reference_candidates;
using ih::test::sorted;

GpuScanOptions test_options() {
  GpuScanOptions options;
  options.include_cpu_devices = true;  // PoCL is a CPU device
  options.opencl_cache_dir = IH_OPENCL_TEST_CACHE_DIR;
  options.nonces_per_thread = 4;
  return options;
}

// The first runnable OpenCL device, or null with the reason in `why`.
std::unique_ptr<GpuScanner> open_first_device(const GpuScanOptions& options, std::string& why) {
  for (ScannerEntry& entry : ih::kernels::opencl_scanner_catalog(options)) {
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

#define OPEN_OR_SKIP(scanner, options)                                    \
  std::string why_;                                                       \
  std::unique_ptr<GpuScanner> scanner = open_first_device(options, why_); \
  if (!scanner) GTEST_SKIP() << "no runnable OpenCL device: " << why_;    \
  ASSERT_EQ(scanner->error(), "")

std::vector<std::uint32_t> scan_all(GpuScanner& scanner, const Work& work, std::uint32_t first,
                                    std::uint32_t count) {
  Candidates out;
  EXPECT_EQ(scanner.scan(work, first, count, out), count);
  return sorted(out.nonces);
}

TEST(OpenClCatalog, CpuDevicesNeedToBeAskedFor) {
  GpuScanOptions plain;
  plain.opencl_cache_dir = IH_OPENCL_TEST_CACHE_DIR;
  const std::vector<ScannerEntry> catalog = ih::kernels::opencl_scanner_catalog(plain);
  ASSERT_FALSE(catalog.empty());
  for (const ScannerEntry& entry : catalog) {
    EXPECT_EQ(entry.device, DeviceKind::opencl);
    if (!entry.runnable) {
      EXPECT_NE(entry.why_not, "") << entry.name;
    }
    if (entry.runnable) {
      EXPECT_EQ(entry.name.rfind("opencl:", 0), 0u) << entry.name;
    }
  }
  // PoCL's CPU device is listed, but runnable only when asked for.
  bool saw_cpu = false;
  for (const ScannerEntry& entry : catalog)
    if (entry.why_not.find("CPU OpenCL device") != std::string::npos) saw_cpu = true;
  if (!saw_cpu) GTEST_SKIP() << "no CPU OpenCL device (PoCL) on this machine";
  bool runnable_when_asked = false;
  for (const ScannerEntry& entry : ih::kernels::opencl_scanner_catalog(test_options()))
    runnable_when_asked |= entry.runnable;
  EXPECT_TRUE(runnable_when_asked);
}

TEST(OpenClScanner, ExactCandidateSetsForSeveralWorkGroupSizes) {
  const Work work = make_test_work(21, 0x00ffffff);
  const std::uint32_t first = 1000;
  const std::uint32_t count = 40000;
  const std::vector<std::uint32_t> expected = reference_candidates(work, first, count);
  ASSERT_GT(expected.size(), 100u);
  for (const unsigned group : {0u, 1u, 64u}) {
    GpuScanOptions options = test_options();
    options.work_group_size = group;
    OPEN_OR_SKIP(scanner, options);
    if (group != 0) {
      EXPECT_NE(scanner->details().find("work-group " + std::to_string(group) + ","),
                std::string::npos)
          << scanner->details();
    }
    EXPECT_EQ(scan_all(*scanner, work, first, count), expected) << scanner->details();
    EXPECT_EQ(scanner->stats().hardware_errors, 0u);
    EXPECT_EQ(scanner->error(), "");
  }
}

TEST(OpenClScanner, RangeEndsAndWrapAt2To32) {
  GpuScanOptions options = test_options();
  options.work_group_size = 64;
  OPEN_OR_SKIP(scanner, options);
  const Work work = make_test_work(22, 0x01ffffff);
  // Ending exactly at 0xffffffff, wrapping past it, a single nonce, a partial group.
  const std::pair<std::uint32_t, std::uint32_t> ranges[] = {
      {0xffffffffu - 4999, 5000}, {0xfffff000u, 9000}, {0xffffffffu, 1}, {7, 333}};
  for (const auto& [first, count] : ranges)
    EXPECT_EQ(scan_all(*scanner, work, first, count), reference_candidates(work, first, count))
        << "first " << first << " count " << count;
}

TEST(OpenClScanner, OverflowingCandidateBufferLosesNothing) {
  GpuScanOptions options = test_options();
  OPEN_OR_SKIP(scanner, options);
  // Every nonce is a candidate: far more than the buffer holds at first.
  const Work work = make_test_work(23, 0xffffffff);
  EXPECT_EQ(scan_all(*scanner, work, 50, 6000), reference_candidates(work, 50, 6000));
  EXPECT_GE(scanner->stats().candidate_overflows, 1u);
}

TEST(OpenClScanner, JobSwitchMidRun) {
  GpuScanOptions options = test_options();
  options.launch_target_ms = 5;  // many short launches, so the interrupt lands mid-range
  OPEN_OR_SKIP(scanner, options);
  const Work old_job = make_test_work(24, 0x00ffffff);
  const Work new_job = make_test_work(25, 0x00ffffff);
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
  // What it did is a complete prefix, with exactly the reference's candidates.
  EXPECT_EQ(sorted(out.nonces), reference_candidates(old_job, 0, static_cast<std::uint32_t>(done)));
  // The same scanner goes straight on with the new job.
  EXPECT_EQ(scan_all(*scanner, new_job, 123456, 20000),
            reference_candidates(new_job, 123456, 20000));
  RecordProperty("switch_ms", std::to_string(switch_ms));
}

TEST(OpenClScanner, UnwritableProgramCacheOnlyCostsACompile) {
  GpuScanOptions options = test_options();
  options.opencl_cache_dir = "/proc/self/ih-cannot-create-this";
  OPEN_OR_SKIP(scanner, options);
  const Work work = make_test_work(26, 0x00ffffff);
  EXPECT_EQ(scan_all(*scanner, work, 0, 5000), reference_candidates(work, 0, 5000));
}

TEST(OpenClScanner, ImpossibleWorkGroupSizeIsAClearError) {
  GpuScanOptions options = test_options();
  options.work_group_size = 1u << 20;
  for (ScannerEntry& entry : ih::kernels::opencl_scanner_catalog(options)) {
    if (!entry.runnable) continue;
    auto scanner = entry.make();
    auto* gpu = dynamic_cast<GpuScanner*>(scanner.get());
    ASSERT_NE(gpu, nullptr);
    EXPECT_NE(gpu->error().find("work-group size"), std::string::npos) << gpu->error();
    Candidates out;
    EXPECT_EQ(gpu->scan(make_test_work(1, 0xffffffff), 0, 100, out), 0u);
    EXPECT_TRUE(out.nonces.empty());
    return;
  }
  GTEST_SKIP() << "no runnable OpenCL device";
}

}  // namespace
