// Paces one simulated miner: tokens (hashes it may do) accrue at its hashrate up to a small
// depth. When the hashing thread falls behind, the overflow is counted as missed, so an
// overloaded host shows up as a lower achieved rate instead of a burst of catch-up hashing.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>

namespace ih::test::sim {

class TokenBucket {
 public:
  using Clock = std::chrono::steady_clock;

  TokenBucket(double rate_per_second, double depth_seconds)
      : rate_(rate_per_second), depth_(std::max(1.0, rate_per_second * depth_seconds)) {}

  // Empties the bucket and starts accruing from `now` (new work after a pause).
  void restart(Clock::time_point now) {
    tokens_ = 0;
    last_ = now;
  }

  void refill(Clock::time_point now) {
    if (now <= last_) return;
    tokens_ += rate_ * std::chrono::duration<double>(now - last_).count();
    last_ = now;
    if (tokens_ > depth_) {
      missed_ += tokens_ - depth_;
      tokens_ = depth_;
    }
  }

  std::uint64_t available() const { return static_cast<std::uint64_t>(tokens_); }
  void take(std::uint64_t n) { tokens_ -= static_cast<double>(n); }
  // Hashes the miner was owed but never got to do.
  std::uint64_t missed() const { return static_cast<std::uint64_t>(missed_); }

 private:
  double rate_;
  double depth_;
  double tokens_ = 0;
  double missed_ = 0;
  Clock::time_point last_{};
};

}  // namespace ih::test::sim
