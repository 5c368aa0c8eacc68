// The simulated miners against the built-in local pool (real share checking): delivered
// hashrate within Poisson bounds, and 200 miners on one thread all getting each job.
#include <gtest/gtest.h>

#include <dirent.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>
#include <thread>
#include <vector>

#include "ih/stratum/protocol/target.hpp"
#include "local_pool/local_pool.hpp"
#include "sim_miner.hpp"
#include "sim_test_helpers.hpp"
#include "wait_until.hpp"

namespace ih::test {
namespace {

using namespace std::chrono_literals;

// --- Poisson bounds ------------------------------------------------------------------------

// The counts [lo, hi] a Poisson(lambda) variable falls in with probability >= 1 - alpha
// (alpha/2 or less outside on each side).
std::pair<std::uint64_t, std::uint64_t> poisson_interval(double lambda, double alpha) {
  double pmf = std::exp(-lambda);
  double cdf = pmf;
  std::uint64_t k = 0;
  std::uint64_t lo = 0;
  bool have_lo = false;
  while (true) {
    if (!have_lo && cdf > alpha / 2) {
      lo = k;
      have_lo = true;
    }
    if (cdf >= 1 - alpha / 2) return {lo, k};
    ++k;
    pmf *= lambda / static_cast<double>(k);
    cdf += pmf;
  }
}

// The chance one hash meets the target of `difficulty`.
double share_probability(double difficulty) {
  return stratum::difficulty_to_target(difficulty)->to_double() / std::pow(2.0, 256);
}

std::size_t threads_of_this_process() {
  std::size_t n = 0;
  if (DIR* dir = opendir("/proc/self/task")) {
    while (dirent* e = readdir(dir))
      if (e->d_name[0] != '.') ++n;
    closedir(dir);
  }
  return n;
}

// --- against the local pool ----------------------------------------------------------------

std::unique_ptr<agent::local_pool::LocalPool> start_local_pool(double difficulty) {
  agent::local_pool::LocalPoolOptions options;
  options.session.initial_difficulty = difficulty;
  options.session.vardiff = false;
  options.job_interval = std::chrono::hours(1);
  options.seed = 89;
  auto pool = agent::local_pool::LocalPool::start(options);
  EXPECT_TRUE(pool.ok()) << (pool.ok() ? "" : pool.error().message);
  return pool.ok() ? std::move(*pool) : nullptr;
}

TEST(SimFleetLocalPool, ThreeMinersDeliverTheirHashrateInAcceptedShares) {
  constexpr double kDifficulty = 1.0 / 65536;
  auto pool = start_local_pool(kDifficulty);
  ASSERT_TRUE(pool);
  const std::vector<double> rates = {150e3, 300e3, 600e3};
  std::vector<SimMinerSpec> specs;
  for (double r : rates) specs.push_back({"acct.w" + std::to_string(int(r / 1000)), "x", r});
  auto started = SimFleet::start("127.0.0.1", pool->port(), specs);
  ASSERT_TRUE(started.ok()) << started.error().message;
  auto& fleet = **started;
  std::printf("scanner: %s\n", fleet.scanner_name().c_str());
  ASSERT_TRUE(wait_until([&] { return fleet.totals().with_job == 3; }, 10s));

  const auto t1 = SimClock::now();
  const auto before = fleet.stats();
  std::this_thread::sleep_for(8s);
  const auto t2 = SimClock::now();
  const auto after = fleet.stats();
  const double seconds = std::chrono::duration<double>(t2 - t1).count();
  // Every submit answered before the books are compared.
  ASSERT_TRUE(wait_until(
      [&] {
        for (auto& s : fleet.stats())
          if (s.accepted + s.rejected != s.shares_submitted) return false;
        return true;
      },
      5s));
  fleet.stop();
  const auto final_stats = fleet.stats();

  std::uint64_t accepted = 0;
  std::uint64_t submitted = 0;
  for (std::size_t i = 0; i < rates.size(); ++i) {
    const SimMinerStats& s = final_stats[i];
    SCOPED_TRACE(s.user);
    EXPECT_TRUE(s.version_rolling);
    EXPECT_EQ(s.version_mask, kMask);
    EXPECT_EQ(s.rejected, 0u) << s.last_reject_reason;
    EXPECT_GT(s.accepted, 0u);
    EXPECT_EQ(s.connects, 1u);
    accepted += s.accepted;
    submitted += s.shares_submitted;

    // The pace: the io thread hashes ~1 MH/s in all, a few percent of one core.
    const double hashes = static_cast<double>(after[i].hashes - before[i].hashes);
    const double achieved = hashes / seconds;
    EXPECT_LE(achieved, rates[i] * (1 + 0.05 / seconds) + 1);  // at most the bucket on top
    EXPECT_GE(achieved, 0.8 * rates[i]) << "missed " << s.hashes_missed << " hashes";

    // Shares in the window are Poisson with mean nominal * seconds * P(share); a count outside
    // [lo, hi] happens by chance less than once in a million runs.
    const double lambda = rates[i] * seconds * share_probability(kDifficulty);
    const auto [lo, hi] = poisson_interval(lambda, 1e-6);
    const std::uint64_t shares = after[i].shares_submitted - before[i].shares_submitted;
    const double estimate = static_cast<double>(shares) * kDifficulty * 4294967296.0 / seconds;
    std::printf(
        "%s: nominal %.0f H/s, achieved %.0f H/s, %llu shares (expected %.1f, [%llu, %llu])"
        " -> estimate %.0f H/s\n",
        s.user.c_str(), rates[i], achieved, static_cast<unsigned long long>(shares), lambda,
        static_cast<unsigned long long>(lo), static_cast<unsigned long long>(hi), estimate);
    EXPECT_GE(shares, lo);
    EXPECT_LE(shares, hi);
  }
  const auto pool_stats = pool->stats();
  // Shares submitted just before stop() may have been checked without the answer coming back.
  EXPECT_GE(pool_stats.accepted, accepted);
  EXPECT_LE(pool_stats.accepted, submitted);
  EXPECT_EQ(pool_stats.rejected, 0u);
  EXPECT_EQ(pool_stats.stale, 0u);
}

TEST(SimFleetLocalPool, TwoHundredMinersShareOneThreadAndAllGetEachJob) {
  auto pool = start_local_pool(1.0 / 65536);
  ASSERT_TRUE(pool);
  std::vector<SimMinerSpec> specs;
  for (int i = 0; i < 200; ++i) specs.push_back({"acct.m" + std::to_string(i), "x", 2000});
  const std::size_t threads_before = threads_of_this_process();
  auto started = SimFleet::start("127.0.0.1", pool->port(), specs);
  ASSERT_TRUE(started.ok()) << started.error().message;
  auto& fleet = **started;
  ASSERT_TRUE(wait_until([&] { return fleet.totals().with_job == 200; }, 30s))
      << fleet.totals().with_job << " of 200 have a job";
  EXPECT_EQ(fleet.connected(), 200u);
  EXPECT_EQ(fleet.totals().authorized, 200u);
  if (threads_before > 0) {
    EXPECT_EQ(threads_of_this_process(), threads_before + 1);
  }

  std::set<std::string> extranonces;
  for (const auto& s : fleet.stats()) extranonces.insert(s.extranonce1);
  EXPECT_EQ(extranonces.size(), 200u);

  // A new block reaches every miner.
  const auto published = SimClock::now();
  pool->new_job(true);
  ASSERT_TRUE(wait_until(
      [&] {
        for (const auto& s : fleet.stats())
          if (s.jobs < 2) return false;
        return true;
      },
      10s));
  SimClock::duration slowest{};
  for (const auto& s : fleet.stats()) slowest = std::max(slowest, s.last_notify - published);
  std::printf("job fan-out to 200 miners: last notify read %.2f ms after new_job\n",
              std::chrono::duration<double, std::milli>(slowest).count());
  EXPECT_EQ(fleet.totals().rejected, 0u);
}

}  // namespace
}  // namespace ih::test
