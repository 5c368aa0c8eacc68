// A token bucket per agent key: `burst` reports at once, then one every `interval`. A miner
// sends one report per window (12 min on SN89) plus a backlog after an outage, so the defaults
// never slow an honest agent; a key that floods gets 429. Buckets that are full again are
// forgotten once there are many, so a stream of fresh keys cannot grow memory without bound.
#pragma once

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace ih::collect {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  RateLimiter(double burst, std::chrono::milliseconds interval, std::size_t max_keys = 10'000)
      : burst_(burst), interval_(interval), max_keys_(max_keys) {}

  // Zero when the key may go on now; otherwise how long until it may.
  std::chrono::milliseconds take(const std::string& key, Clock::time_point now = Clock::now()) {
    std::lock_guard lock(mutex_);
    if (buckets_.size() >= max_keys_ && buckets_.count(key) == 0) {
      forget_full(now);
      if (buckets_.size() >= max_keys_) return interval_;  // a flood of new keys waits
    }
    auto it = buckets_.try_emplace(key, Bucket{burst_, now}).first;
    Bucket& b = it->second;
    refill(b, now);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return std::chrono::milliseconds(0);
    }
    const double missing = 1 - b.tokens;
    return std::chrono::milliseconds(
        static_cast<long long>(missing * static_cast<double>(interval_.count())) + 1);
  }

 private:
  struct Bucket {
    double tokens;
    Clock::time_point updated;
  };

  void refill(Bucket& b, Clock::time_point now) const {
    const auto elapsed = std::chrono::duration<double, std::milli>(now - b.updated).count();
    b.tokens = std::min(burst_, b.tokens + elapsed / static_cast<double>(interval_.count()));
    b.updated = now;
  }

  void forget_full(Clock::time_point now) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      refill(it->second, now);
      it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
    }
  }

  double burst_;
  std::chrono::milliseconds interval_;
  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace ih::collect
