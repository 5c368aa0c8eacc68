// The share-based estimator: sum(d) * 2^32 / elapsed over known shares, its window start,
// min_shares and the memory bound (which must not bias the estimate).
#include <gtest/gtest.h>

#include <cmath>

#include "proxy/hashrate_estimate.hpp"

namespace ih::proxy {
namespace {

using Clock = HashrateEstimator::Clock;
using std::chrono::seconds;

constexpr double k2p32 = 4294967296.0;
const Clock::time_point kT0 = Clock::time_point{} + std::chrono::hours(10);

TEST(HashrateEstimate, SumOfDifficultyOverElapsedSinceConnect) {
  HashrateEstimator e(kT0);
  for (int i = 1; i <= 60; ++i) e.add_share(1000, kT0 + seconds(i));
  // The window reaches before the connection: elapsed is counted from the connection.
  const auto hs = e.hashrate(kT0 + seconds(60), seconds(600), 10);
  ASSERT_TRUE(hs.has_value());
  EXPECT_DOUBLE_EQ(*hs, 60 * 1000 * k2p32 / 60);
}

TEST(HashrateEstimate, WindowCountsOnlyItsShares) {
  HashrateEstimator e(kT0);
  for (int i = 1; i <= 60; ++i) e.add_share(i <= 30 ? 100 : 300, kT0 + seconds(i));
  // (t0+30, t0+60]: 30 shares at 300 over 30 s.
  const auto hs = e.hashrate(kT0 + seconds(60), seconds(30), 10);
  ASSERT_TRUE(hs.has_value());
  EXPECT_DOUBLE_EQ(*hs, 30 * 300 * k2p32 / 30);
  // Later, with no new shares, the same shares spread over a longer time.
  const auto later = e.hashrate(kT0 + seconds(90), seconds(60), 10);
  ASSERT_TRUE(later.has_value());
  EXPECT_DOUBLE_EQ(*later, 30 * 300 * k2p32 / 60);
}

TEST(HashrateEstimate, VardiffMixIsSummed) {
  HashrateEstimator e(kT0);
  const double diffs[] = {512, 512, 1024, 2048, 2048, 4096, 4096, 4096, 8192, 8192};
  double sum = 0;
  for (int i = 0; i < 10; ++i) {
    e.add_share(diffs[i], kT0 + seconds(10 * (i + 1)));
    sum += diffs[i];
  }
  const auto hs = e.hashrate(kT0 + seconds(120), seconds(600), 10);
  ASSERT_TRUE(hs.has_value());
  EXPECT_DOUBLE_EQ(*hs, sum * k2p32 / 120);
}

TEST(HashrateEstimate, NothingBelowMinShares) {
  HashrateEstimator e(kT0);
  for (int i = 1; i <= 9; ++i) e.add_share(1000, kT0 + seconds(i));
  EXPECT_FALSE(e.hashrate(kT0 + seconds(10), seconds(600), 10).has_value());
  e.add_share(1000, kT0 + seconds(10));
  EXPECT_TRUE(e.hashrate(kT0 + seconds(10), seconds(600), 10).has_value());
  EXPECT_FALSE(HashrateEstimator(kT0).hashrate(kT0 + seconds(5), seconds(60), 1).has_value());
  EXPECT_FALSE(e.hashrate(kT0, seconds(60), 1).has_value());  // no time elapsed
}

TEST(HashrateEstimate, IgnoresBadDifficulty) {
  HashrateEstimator e(kT0);
  e.add_share(0, kT0 + seconds(1));
  e.add_share(-5, kT0 + seconds(1));
  e.add_share(std::nan(""), kT0 + seconds(1));
  e.add_share(INFINITY, kT0 + seconds(1));
  EXPECT_EQ(e.shares_held(), 0u);
}

TEST(HashrateEstimate, ShareCapDoesNotBiasTheEstimate) {
  HashrateEstimator e(kT0, std::chrono::hours(1), 100);
  for (int i = 1; i <= 1000; ++i) e.add_share(1, kT0 + seconds(i));
  EXPECT_EQ(e.shares_held(), 100u);
  // The 100 kept shares cover (t0+900, t0+1000]: 1 share/s at difficulty 1, not a tenth of it.
  const auto hs = e.hashrate(kT0 + seconds(1000), seconds(3600), 10);
  ASSERT_TRUE(hs.has_value());
  EXPECT_DOUBLE_EQ(*hs, k2p32);
}

TEST(HashrateEstimate, MaxWindowBoundsMemory) {
  HashrateEstimator e(kT0, seconds(60));
  for (int i = 1; i <= 300; ++i) e.add_share(2, kT0 + seconds(i));
  EXPECT_LE(e.shares_held(), 61u);
  const auto hs = e.hashrate(kT0 + seconds(300), seconds(600), 10);
  ASSERT_TRUE(hs.has_value());
  EXPECT_DOUBLE_EQ(*hs, 2 * k2p32);
}

}  // namespace
}  // namespace ih::proxy
