// Keeps a pool's share rate near a cap (--pool-max-share-rate): when the pool's difficulty
// would have the devices find more shares than the link and the share gate can carry, the
// engine hashes at a higher local difficulty. Shares found still meet the pool's target.
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>

namespace ih::agent {

class ShareRateGuard {
 public:
  explicit ShareRateGuard(double max_per_second)
      : max_per_second_(max_per_second), next_flag_at_(max_per_second) {}

  // The difficulty to hash at: the pool's, or higher so that `hashrate` finds about the cap.
  double local_difficulty(double pool_difficulty, double hashrate) const;
  // Counts one submitted share; true when this second's count passes the cap (and again each
  // further cap's worth): time to raise the local difficulty.
  bool count_share(std::chrono::steady_clock::time_point now);
  double max_per_second() const { return max_per_second_; }

 private:
  double max_per_second_;
  std::mutex mutex_;
  std::int64_t second_ = -1;
  double in_second_ = 0;
  double next_flag_at_ = 0;
};

}  // namespace ih::agent
