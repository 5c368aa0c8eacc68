// A downstream worker's hashrate from the shares it sends: each share at difficulty d stands for
// d * 2^32 hashes on average, whatever vardiff does to d, so the rate over a window is
// sum(d) * 2^32 / elapsed.
//
// The elapsed time starts at the window's start, or at the worker's connection when that is later
// -- never at the first share. A window fixed independently of the share arrivals makes the
// share count Poisson with mean rate * elapsed, so the estimate is unbiased; starting at the first
// share instead would drop the wait before it while counting the share, which reads high (by about
// n / (n - 1) with n shares). Shares dropped to bound memory move the start to the newest dropped
// share's time: by memorylessness the interval after a share is again unbiased. With n shares the
// relative error is about 1 / sqrt(n); below min_shares there is no estimate at all.
#pragma once

#include <chrono>
#include <cstddef>
#include <deque>
#include <optional>

namespace ih::proxy {

class HashrateEstimator {
 public:
  using Clock = std::chrono::steady_clock;

  // Memory is bounded twice: shares older than `max_window` before the newest are dropped, and so
  // are the oldest past `max_shares`.
  explicit HashrateEstimator(Clock::time_point connected_at,
                             std::chrono::seconds max_window = std::chrono::hours(1),
                             std::size_t max_shares = 4096);

  // Ignores a difficulty that is not a positive finite number. A share stamped before the previous
  // one (or before the connection) counts at that earlier time: the clock is steady.
  void add_share(double difficulty, Clock::time_point at);

  // H/s over the `window` before `now`; nullopt with fewer than `min_shares` shares in it or no
  // time elapsed.
  std::optional<double> hashrate(Clock::time_point now, std::chrono::seconds window,
                                 unsigned min_shares) const;

  std::size_t shares_held() const { return shares_.size(); }
  Clock::time_point connected_at() const { return connected_at_; }

 private:
  struct Share {
    Clock::time_point at;
    double difficulty;
  };
  void drop_oldest();

  Clock::time_point connected_at_;
  std::chrono::seconds max_window_;
  std::size_t max_shares_;
  std::deque<Share> shares_;
  // The newest dropped share's time: the estimate knows nothing before it.
  std::optional<Clock::time_point> dropped_until_;
};

}  // namespace ih::proxy
