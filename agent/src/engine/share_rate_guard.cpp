#include "engine/share_rate_guard.hpp"

#include <algorithm>

namespace ih::agent {

double ShareRateGuard::local_difficulty(double pool_difficulty, double hashrate) const {
  if (max_per_second_ <= 0 || hashrate <= 0) return pool_difficulty;
  // A difficulty-1 share takes 2^32 hashes on average.
  const double needed = hashrate / (max_per_second_ * 4294967296.0);
  return std::max(pool_difficulty, needed);
}

bool ShareRateGuard::count_share(std::chrono::steady_clock::time_point now) {
  const auto second =
      std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  std::lock_guard lock(mutex_);
  if (second != second_) {
    second_ = second;
    in_second_ = 0;
    next_flag_at_ = max_per_second_;
  }
  in_second_ += 1;
  if (max_per_second_ <= 0 || in_second_ <= next_flag_at_) return false;
  // Again each time another cap's worth arrives: the first raise may have come before the
  // hashrate was known well.
  next_flag_at_ = in_second_ + max_per_second_;
  return true;
}

}  // namespace ih::agent
