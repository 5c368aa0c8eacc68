#include <gtest/gtest.h>

#include <random>

#include "proof/estimator.hpp"

namespace {

using namespace ih::proof;

TEST(Garwood, MatchesPublishedExactPoissonLimits) {
  // Garwood (1936) / standard tables: n = 0, 1, 10 at 95 %.
  EXPECT_EQ(garwood_interval(0).low, 0);
  EXPECT_NEAR(garwood_interval(0).high, 3.6889, 1e-4);
  EXPECT_NEAR(garwood_interval(1).low, 0.0253, 1e-4);
  EXPECT_NEAR(garwood_interval(1).high, 5.5716, 1e-4);
  EXPECT_NEAR(garwood_interval(10).low, 4.7954, 1e-4);
  EXPECT_NEAR(garwood_interval(10).high, 18.3904, 1e-4);
}

TEST(Estimator, HashrateIsDifficultyTimesTwoToThe32PerSecond) {
  const HashrateEstimate e = estimate_hashrate(100, 100 * 0.5, 600, 0.5);
  EXPECT_DOUBLE_EQ(e.hashrate, 50 * 4294967296.0 / 600);
  EXPECT_LT(e.low, e.hashrate);
  EXPECT_GT(e.high, e.hashrate);
  const HashrateEstimate none = estimate_hashrate(0, 0, 600, 0.5);
  EXPECT_EQ(none.hashrate, 0);
  EXPECT_NEAR(none.high / (0.5 * 4294967296.0 / 600), 3.6889, 1e-4);
}

// Share counts of a window at a known hashrate are Poisson with mean rate * T / (D * 2^32);
// simulating the counts (not the hashes) keeps thousands of runs fast. The true rate of each
// run is drawn around the target mean, as real rates are not tied to whole share counts.
double coverage(double mean_shares, int runs, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  const double difficulty = 1024, seconds = 720;
  std::uniform_real_distribution<double> jitter(0.8, 1.2);
  int covered = 0;
  for (int i = 0; i < runs; ++i) {
    const double mean = mean_shares * jitter(rng);
    const double true_rate = mean * difficulty * kHashesPerDifficulty / seconds;
    const auto n = std::poisson_distribution<std::uint64_t>(mean)(rng);
    const HashrateEstimate e =
        estimate_hashrate(n, static_cast<double>(n) * difficulty, seconds, difficulty);
    if (e.low <= true_rate && true_rate <= e.high) ++covered;
  }
  return static_cast<double>(covered) / runs;
}

TEST(Estimator, The95PercentIntervalCoversTheTrueRateIn93To97PercentOfRuns) {
  for (const double shares : {10.0, 100.0, 10000.0}) {
    const double c = coverage(shares, 4000, 89 + static_cast<std::uint64_t>(shares));
    std::printf("coverage at %.0f shares per window: %.2f %%\n", shares, 100 * c);
    EXPECT_GE(c, 0.93) << shares;
    EXPECT_LE(c, 0.97) << shares;
  }
}

}  // namespace
