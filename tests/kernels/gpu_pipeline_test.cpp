// The scan loop shared by the CUDA and OpenCL scanners, driven by a backend that runs the same
// device math on the host. It can misbehave on purpose, the way failing hardware does: report a
// wrong nonce, fail a launch.
#include <gtest/gtest.h>

#include <array>
#include <memory>
#include <string>

#include "gpu/launch_backend.hpp"
#include "gpu/pipelined_scanner.hpp"
#include "gpu_test_support.hpp"

namespace {

using ih::kernels::Candidates;
using ih::kernels::Work;
using ih::kernels::gpu::LaunchResult;
using ih::kernels::gpu::PipelinedScanner;
using ih::test::make_test_work;
using ih::test::reference_candidates;
using ih::test::sorted;

struct Faults {
  bool report_wrong_nonce = false;  // every launch also reports first + 0 as a candidate
  int fail_enqueue_at = -1;         // the n-th enqueue (0-based) fails
  int fail_wait_at = -1;            // the n-th wait fails
};

class HostBackend final : public ih::kernels::gpu::LaunchBackend {
 public:
  HostBackend(Faults faults, std::uint32_t capacity, int* launches)
      : faults_(faults), launches_(launches) {
    for (Slot& slot : slots_) slot.capacity = capacity;
  }
  std::string open_error() const override { return {}; }
  std::string describe() const override { return "host backend"; }
  std::uint32_t granularity() const override { return 64; }
  std::uint32_t initial_launch() const override { return 256; }
  std::string enqueue(int slot_index, const IhMiningJob& job, std::uint32_t first,
                      std::uint32_t count) override {
    if (enqueues_++ == faults_.fail_enqueue_at) return "enqueue failed (injected)";
    ++*launches_;
    Slot& slot = slots_[slot_index];
    slot.found = 0;
    slot.nonces.clear();
    for (std::uint32_t i = 0; i < count; ++i)
      if (ih_sha256d_is_candidate(job, first + i)) report(slot, first + i);
    if (faults_.report_wrong_nonce && !ih_sha256d_is_candidate(job, first)) report(slot, first);
    return {};
  }
  LaunchResult wait(int slot_index, std::vector<std::uint32_t>& nonces) override {
    LaunchResult result;
    if (waits_++ == faults_.fail_wait_at) {
      result.error = "device lost (injected)";
      return result;
    }
    const Slot& slot = slots_[slot_index];
    nonces.insert(nonces.end(), slot.nonces.begin(), slot.nonces.end());
    result.ok = true;
    result.found = slot.found;
    result.device_ms = 1;  // far under the target: the tuner grows launches
    return result;
  }
  std::uint32_t capacity(int slot) const override { return slots_[slot].capacity; }
  std::string grow_capacity(int slot, std::uint32_t at_least) override {
    slots_[slot].capacity = at_least;
    return {};
  }

 private:
  struct Slot {
    std::uint32_t capacity = 0;
    std::uint32_t found = 0;
    std::vector<std::uint32_t> nonces;
  };
  static void report(Slot& slot, std::uint32_t nonce) {
    if (slot.found++ < slot.capacity) slot.nonces.push_back(nonce);
  }
  Faults faults_;
  int* launches_;
  int enqueues_ = 0;
  int waits_ = 0;
  std::array<Slot, ih::kernels::gpu::kLaunchSlots> slots_{};
};

PipelinedScanner make_scanner(Faults faults, std::uint32_t capacity, int* launches,
                              double target_ms = 30) {
  return PipelinedScanner("host", std::make_unique<HostBackend>(faults, capacity, launches),
                          target_ms);
}

TEST(GpuPipeline, ExactSetsAcrossManyTunedLaunches) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({}, 1024, &launches);
  const Work work = make_test_work(41, 0x00ffffff);
  Candidates out;
  EXPECT_EQ(scanner.scan(work, 0xfffff000u, 200000, out), 200000u);
  EXPECT_EQ(sorted(out.nonces), reference_candidates(work, 0xfffff000u, 200000));
  EXPECT_GE(launches, 3);
  // Launches grew from 256 nonces, 8x at a time, in multiples of the granularity.
  EXPECT_GT(scanner.stats().nonces_per_launch, 256u);
  EXPECT_EQ(scanner.stats().nonces_per_launch % 64, 0u);
  EXPECT_EQ(scanner.stats().hardware_errors, 0u);
  EXPECT_EQ(scanner.preferred_batch(), 2 * scanner.stats().nonces_per_launch);
}

TEST(GpuPipeline, OverflowedLaunchIsRerunWithABiggerBuffer) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({}, 4, &launches);
  const Work work = make_test_work(42, 0x0fffffff);  // 1 in 16: overflows a 4-entry buffer
  Candidates out;
  EXPECT_EQ(scanner.scan(work, 0, 3000, out), 3000u);
  EXPECT_EQ(sorted(out.nonces), reference_candidates(work, 0, 3000));
  EXPECT_GE(scanner.stats().candidate_overflows, 1u);
}

TEST(GpuPipeline, WrongDeviceCandidateIsAHardwareErrorNeverAResult) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({.report_wrong_nonce = true}, 1024, &launches);
  const Work work = make_test_work(43, 0x000fffff);
  Candidates out;
  EXPECT_EQ(scanner.scan(work, 100, 5000, out), 5000u);
  EXPECT_EQ(sorted(out.nonces), reference_candidates(work, 100, 5000));
  // At most one bogus report per launch, each counted, none passed on.
  EXPECT_GE(scanner.stats().hardware_errors, 1u);
  EXPECT_LE(scanner.stats().hardware_errors, static_cast<std::uint64_t>(launches));
  EXPECT_EQ(scanner.error(), "");
}

TEST(GpuPipeline, FailedLaunchStopsTheScanAtACompletePrefix) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({.fail_wait_at = 2}, 1024, &launches);
  const Work work = make_test_work(44, 0x00ffffff);
  Candidates out;
  const std::uint64_t done = scanner.scan(work, 0, 100000, out);
  // Launches 0 and 1 were queued together at the initial 256 nonces and finished; launch 2
  // failed, so launch 3 (queued meanwhile) no longer counts.
  EXPECT_EQ(done, 512u);
  EXPECT_EQ(sorted(out.nonces), reference_candidates(work, 0, static_cast<std::uint32_t>(done)));
  EXPECT_NE(scanner.error().find("device lost"), std::string::npos);
  Candidates after;
  EXPECT_EQ(scanner.scan(work, 0, 1000, after), 0u);  // a failed device does no more work
}

TEST(GpuPipeline, FailedEnqueueIsReported) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({.fail_enqueue_at = 0}, 1024, &launches);
  Candidates out;
  EXPECT_EQ(scanner.scan(make_test_work(45, 0xffffffff), 0, 1000, out), 0u);
  EXPECT_TRUE(out.nonces.empty());
  EXPECT_NE(scanner.error().find("enqueue failed"), std::string::npos);
}

TEST(GpuPipeline, InterruptBeforeAScanMakesItReturnAtOnce) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({}, 1024, &launches);
  scanner.interrupt();
  Candidates out;
  EXPECT_EQ(scanner.scan(make_test_work(46, 0xffffffff), 0, 1000, out), 0u);
  EXPECT_EQ(launches, 0);
  // The interrupt is used up: the next scan runs in full.
  EXPECT_EQ(scanner.scan(make_test_work(46, 0x00ffffff), 0, 1000, out), 1000u);
}

TEST(GpuPipeline, BadLaunchTargetIsAClearError) {
  int launches = 0;
  PipelinedScanner scanner = make_scanner({}, 1024, &launches, 0);
  EXPECT_NE(scanner.error().find("launch target"), std::string::npos) << scanner.error();
  Candidates out;
  EXPECT_EQ(scanner.scan(make_test_work(47, 0xffffffff), 0, 100, out), 0u);
  EXPECT_EQ(launches, 0);
}

}  // namespace
