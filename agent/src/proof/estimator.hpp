// Hashrate from shares (DESIGN §6): a share of difficulty D stands for D * 2^32 hashes on
// average, and the number of shares reaching a fixed difficulty in a window is Poisson. The
// interval is Garwood's exact one, from chi-square quantiles (Boost.Math).
#pragma once

#include <cstdint>

namespace ih::proof {

inline constexpr double kHashesPerDifficulty = 4294967296.0;  // 2^32

struct PoissonInterval {
  double low = 0;
  double high = 0;
};

// Exact (Garwood) two-sided interval for the mean of a Poisson count `n`.
PoissonInterval garwood_interval(std::uint64_t n, double confidence = 0.95);

struct HashrateEstimate {
  double hashrate = 0;  // H/s
  double low = 0;
  double high = 0;
  std::uint64_t shares = 0;
};

// `shares` proofs whose credited difficulties sum to `difficulty_sum` over `seconds`; with
// mixed difficulties the interval scales the count's by the mean difficulty. `floor_difficulty`
// scales the upper bound when there is no share at all.
HashrateEstimate estimate_hashrate(std::uint64_t shares, double difficulty_sum, double seconds,
                                   double floor_difficulty, double confidence = 0.95);

}  // namespace ih::proof
