// The share-rate guard: a pool difficulty near zero (almost every hash a share) must not flood
// the link or the share gate; the engine hashes at a raised local difficulty instead.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <thread>

#include "engine/engine.hpp"
#include "engine/share_rate_guard.hpp"
#include "local_pool/local_pool.hpp"

namespace {

using namespace ih::agent;
using namespace std::chrono_literals;

TEST(ShareRateGuard, RaisesTheDifficultyOnlyAboveTheCap) {
  ShareRateGuard guard(20);
  const double hashrate = 20.0 * 4294967296.0 * 8;  // 8x the cap at difficulty 1
  EXPECT_DOUBLE_EQ(guard.local_difficulty(1, hashrate), 8);
  EXPECT_DOUBLE_EQ(guard.local_difficulty(16, hashrate), 16) << "the pool's is already harder";
  EXPECT_DOUBLE_EQ(guard.local_difficulty(1, 0), 1) << "no hashrate known yet";
  EXPECT_DOUBLE_EQ(ShareRateGuard(0).local_difficulty(1, hashrate), 1) << "0 turns it off";
  const auto t = std::chrono::steady_clock::time_point{} + 100s;
  int flagged = 0;
  for (int i = 0; i < 100; ++i) flagged += guard.count_share(t) ? 1 : 0;
  EXPECT_EQ(flagged, 4) << "at 21, 41, 61 and 81 shares in the second";
  EXPECT_FALSE(guard.count_share(t + 1s)) << "a new second starts from zero";
}

struct MiningRun {
  std::uint64_t found = 0;
  std::uint64_t hashes = 0;
  double seconds = 0;
  bool balanced = false;
  std::uint64_t rejected = 0;
};

MiningRun mine_against(double difficulty, double max_share_rate, std::chrono::milliseconds length) {
  local_pool::LocalPoolOptions pool_options;
  pool_options.session.initial_difficulty = difficulty;
  pool_options.session.vardiff = false;
  pool_options.job_interval = 60s;
  auto pool = local_pool::LocalPool::start(pool_options);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  if (!pool.ok()) return {};
  EngineOptions options;
  options.threads = 1;
  options.cpu_kernel = "reference";
  options.max_share_rate = max_share_rate;
  ih::stratum::PoolEndpoint endpoint;
  endpoint.url = (*pool)->url();
  endpoint.user = "flood";
  options.pool.pools.push_back(endpoint);
  auto engine = Engine::create(options, make_stratum_pool_link);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  if (!engine.ok()) return {};
  (*engine)->start();
  std::this_thread::sleep_for(length);
  (*engine)->stop();
  MiningRun run;
  const auto l = (*engine)->ledger().snapshot();
  run.found = l.total.found;
  run.hashes = (*engine)->meter().total().total;
  run.seconds = std::chrono::duration<double>(length).count();
  run.balanced = l.total.balanced();
  run.rejected = l.total.rejected;
  (*pool)->stop();
  return run;
}

TEST(ShareRateGuard, ATinyPoolDifficultyDoesNotFloodTheAgent) {
  const MiningRun flood = mine_against(1e-9, 20, 3s);  // ~4 hashes per share without the guard
  const MiningRun normal = mine_against(1.0 / 65536, 20, 3s);
  std::printf("share-rate guard: flooded %.0f H/s (%llu shares), normal %.0f H/s (%llu shares)\n",
              static_cast<double>(flood.hashes) / flood.seconds,
              static_cast<unsigned long long>(flood.found),
              static_cast<double>(normal.hashes) / normal.seconds,
              static_cast<unsigned long long>(normal.found));
  EXPECT_TRUE(flood.balanced);
  EXPECT_EQ(flood.rejected, 0u);
  EXPECT_GT(flood.hashes, 0u);
  // 20/s for 3 s, plus the first second before the rate is known (at most the per-scan cap
  // of 64 per scan for a few hundred scans would be far more): a loose bound, not a timing.
  EXPECT_LT(flood.found, 2000u) << "the guard did not hold the share rate";
}

}  // namespace
