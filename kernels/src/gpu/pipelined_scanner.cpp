#include "gpu/pipelined_scanner.hpp"

#include <algorithm>
#include <deque>

#include "gpu/gpu_mining_job.hpp"

namespace ih::kernels::gpu {

namespace {

// At 9 GH/s a launch of 2^30 nonces takes ~120 ms: enough headroom for the fastest device.
constexpr std::uint32_t kMaxLaunch = 1u << 30;

std::uint32_t round_to(std::uint64_t value, std::uint32_t multiple, std::uint32_t max) {
  value = std::max<std::uint64_t>(value / multiple * multiple, multiple);
  return static_cast<std::uint32_t>(std::min<std::uint64_t>(value, max));
}

}  // namespace

PipelinedScanner::PipelinedScanner(std::string name, std::unique_ptr<LaunchBackend> backend,
                                   double launch_target_ms)
    : name_(std::move(name)), backend_(std::move(backend)), target_ms_(launch_target_ms) {
  error_ = backend_->open_error();
  if (error_.empty() && !(target_ms_ >= 1 && target_ms_ <= 10000))
    error_ = name_ + ": the launch target must be 1..10000 ms, not " + std::to_string(target_ms_);
  if (!error_.empty()) return;
  details_ = backend_->describe();
  granularity_ = std::max<std::uint32_t>(backend_->granularity(), 1);
  max_launch_ = std::max(kMaxLaunch / granularity_ * granularity_, granularity_);
  stats_.nonces_per_launch = round_to(backend_->initial_launch(), granularity_, max_launch_);
}

std::string PipelinedScanner::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

GpuScanStats PipelinedScanner::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

std::uint32_t PipelinedScanner::preferred_batch() const {
  std::lock_guard lock(mutex_);
  return stats_.nonces_per_launch * 2u;
}

void PipelinedScanner::fail(const std::string& message) {
  std::lock_guard lock(mutex_);
  if (error_.empty()) error_ = message;
}

void PipelinedScanner::tune(std::uint32_t launched, double device_ms) {
  std::lock_guard lock(mutex_);
  ++stats_.launches;
  // Only full-size launches say how long the current size takes.
  if (launched != stats_.nonces_per_launch) return;
  stats_.last_launch_ms = device_ms;
  // Grow at most 8x per launch (the first launches are tiny), shrink at most 4x.
  const double ratio = device_ms > 0 ? std::clamp(target_ms_ / device_ms, 0.25, 8.0) : 8.0;
  stats_.nonces_per_launch =
      round_to(static_cast<std::uint64_t>(launched * ratio), granularity_, max_launch_);
}

bool PipelinedScanner::finish_launch(int slot, const Launch& launch, const Work& work,
                                     const IhMiningJob& job, std::uint32_t first_nonce,
                                     Candidates& out) {
  LaunchResult result = backend_->wait(slot, device_nonces_);
  if (result.ok && result.found > backend_->capacity(slot)) {
    // Rare (easy targets only): grow the buffer and hash the same range again, so no
    // candidate is ever lost.
    {
      std::lock_guard lock(mutex_);
      ++stats_.candidate_overflows;
    }
    device_nonces_.clear();
    std::string err = backend_->grow_capacity(slot, result.found);
    if (err.empty()) err = backend_->enqueue(slot, job, first_nonce + launch.offset, launch.count);
    if (!err.empty()) {
      fail(err);
      return false;
    }
    result = backend_->wait(slot, device_nonces_);
  }
  if (!result.ok) {
    fail(result.error);
    return false;
  }
  tune(launch.count, result.device_ms);
  const std::uint64_t rejected = append_confirmed(work, device_nonces_, out.nonces);
  if (rejected > 0) {
    std::lock_guard lock(mutex_);
    stats_.hardware_errors += rejected;
  }
  return true;
}

std::uint64_t PipelinedScanner::scan(const Work& work, std::uint32_t first_nonce,
                                     std::uint32_t count, Candidates& out) {
  if (!error().empty()) return 0;
  const IhMiningJob job = make_mining_job(work);
  std::deque<std::pair<int, Launch>> in_flight;  // oldest first; slots alternate
  std::uint64_t done = 0;                        // a complete prefix of the range
  std::uint64_t next_offset = 0;
  int next_slot = 0;
  bool failed = false;
  bool interrupted = false;
  while (true) {
    while (!failed && !interrupted && in_flight.size() < static_cast<std::size_t>(kLaunchSlots) &&
           next_offset < count) {
      if (interrupt_.exchange(false)) {
        interrupted = true;
        break;
      }
      const std::uint32_t size = static_cast<std::uint32_t>(
          std::min<std::uint64_t>(count - next_offset, stats().nonces_per_launch));
      const Launch launch{static_cast<std::uint32_t>(next_offset), size};
      const std::string err =
          backend_->enqueue(next_slot, job, first_nonce + launch.offset, launch.count);
      if (!err.empty()) {
        fail(err);
        failed = true;
        break;
      }
      in_flight.emplace_back(next_slot, launch);
      next_slot = (next_slot + 1) % kLaunchSlots;
      next_offset += size;
    }
    if (in_flight.empty()) break;
    const auto [slot, launch] = in_flight.front();
    in_flight.pop_front();
    if (failed) {
      // Still waited for, so no launch outlives the scan; its hashes no longer count, as
      // `done` must stay a prefix.
      std::vector<std::uint32_t> discarded;
      (void)backend_->wait(slot, discarded);
    } else if (finish_launch(slot, launch, work, job, first_nonce, out)) {
      done += launch.count;
    } else {
      failed = true;
    }
  }
  return done;
}

}  // namespace ih::kernels::gpu
