// End to end on loopback: the engine and the stratum client against the built-in local pool.
#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "engine/engine.hpp"
#include "local_pool/local_pool.hpp"

namespace {

using namespace ih::agent;
using namespace std::chrono_literals;

constexpr double kEasy = 1.0 / 65536;  // a share every ~65 k hashes per device

std::unique_ptr<local_pool::LocalPool> start_pool(bool vardiff = false) {
  // With vardiff on, aiming far off the real share rate makes every retarget change difficulty.
  local_pool::LocalPoolOptions options;
  options.session.initial_difficulty = kEasy;
  options.session.vardiff = vardiff;  // off: keep the share rate predictable
  options.session.retarget_every = 200ms;
  options.session.seconds_per_share = 5;
  options.job_interval = 60s;
  auto pool = local_pool::LocalPool::start(options);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  return pool.ok() ? std::move(*pool) : nullptr;
}

std::unique_ptr<Engine> make_engine(const std::string& url, unsigned threads,
                                    std::uint64_t nonces_per_unit = std::uint64_t{1} << 32) {
  EngineOptions options;
  options.threads = threads;
  options.cpu_kernel = "reference";
  options.nonces_per_unit = nonces_per_unit;
  options.reply_wait = 2s;
  // Password left empty: assigning a short literal trips GCC 12's false -Wrestrict.
  ih::stratum::PoolEndpoint endpoint;
  endpoint.url = url;
  endpoint.user = "e2e";
  options.pool.pools.push_back(endpoint);
  auto engine = Engine::create(options, make_stratum_pool_link);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

template <typename Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(10ms);
  }
  return true;
}

TEST(EngineEndToEnd, SharesAreAcceptedNoneRejectedAndCleanJobsMoveEveryDevice) {
  auto pool = start_pool();
  ASSERT_TRUE(pool);
  auto engine = make_engine(pool->url(), 2);
  ASSERT_TRUE(engine);
  engine->start();
  ASSERT_TRUE(wait_until([&] { return engine->ledger().snapshot().total.accepted >= 3; }, 15s))
      << "no accepted shares from the local pool";

  for (int round = 0; round < 3; ++round) {
    const auto before = engine->dispatcher().generation();
    pool->new_job(true);
    ASSERT_TRUE(wait_until(
        [&] {
          const auto s = engine->dispatcher().switch_stats();
          return s.generation > before && s.devices_reached == engine->device_count();
        },
        5s))
        << "a clean job did not reach every device";
  }
  const auto switched = engine->dispatcher().switch_stats();
  std::printf("job switch: slowest device picked the job up after %.2f ms (worst %.2f ms)\n",
              static_cast<double>(switched.slowest.count()) / 1000.0,
              static_cast<double>(switched.worst_ever.count()) / 1000.0);
  const auto accepted_before = engine->ledger().snapshot().total.accepted;
  ASSERT_TRUE(wait_until(
      [&] {
        const auto l = engine->ledger().snapshot();
        bool every_device = true;
        for (const auto& d : l.devices) every_device = every_device && d.found > 0;
        return every_device && l.total.accepted >= accepted_before + 2;
      },
      15s))
      << "no shares accepted after the job switches, or a device found none";

  engine->stop();
  const auto l = engine->ledger().snapshot();
  const auto p = pool->stats();
  for (const auto& [reason, count] : p.reject_reasons) ADD_FAILURE() << count << " x " << reason;
  EXPECT_EQ(l.total.rejected, 0u);
  EXPECT_EQ(l.total.hardware_errors, 0u);
  EXPECT_EQ(l.total.pending, 0u);
  EXPECT_TRUE(l.total.balanced());
  for (const auto& d : l.devices) {
    EXPECT_TRUE(d.balanced());
    EXPECT_GT(d.found, 0u) << "a device found nothing";
  }
  // Shares known stale are counted but never sent: the pool saw exactly the accepted ones plus
  // those that raced a clean job on the wire (which it calls stale, and so does the ledger).
  EXPECT_EQ(p.rejected, 0u);
  EXPECT_EQ(p.accepted, l.total.accepted);
  EXPECT_EQ(p.stale, l.stale_by_pool);
  EXPECT_EQ(l.total.stale, l.stale_unsent + l.stale_by_pool);
  EXPECT_GT(engine->meter().total().total, 0u);
}

TEST(EngineEndToEnd, ExhaustedNonceSpaceMovesToTheNextUnitWithoutPause) {
  auto pool = start_pool();
  ASSERT_TRUE(pool);
  auto engine = make_engine(pool->url(), 2, 1 << 14);  // tiny units: many extranonce2 values
  ASSERT_TRUE(engine);
  engine->start();
  ASSERT_TRUE(wait_until(
      [&] {
        for (std::uint64_t units : engine->units_started())
          if (units <= 2) return false;
        return engine->ledger().snapshot().total.accepted >= 4;
      },
      15s))
      << "a device did not move on to new work units, or no shares were accepted";
  engine->stop();
  const auto l = engine->ledger().snapshot();
  EXPECT_EQ(l.total.rejected, 0u);
  EXPECT_EQ(pool->stats().rejected, 0u);
  EXPECT_TRUE(l.total.balanced());
  EXPECT_EQ(l.total.pending, 0u);
}

TEST(EngineEndToEnd, DifficultyChangesKeepDevicesInPlaceSoNoWorkIsRepeated) {
  auto pool = start_pool(true);  // vardiff re-sends the same job with a new difficulty
  ASSERT_TRUE(pool);
  auto engine = make_engine(pool->url(), 2);
  ASSERT_TRUE(engine);
  engine->start();
  // Several retargets happen in this time (one per 200 ms at most).
  std::this_thread::sleep_for(1500ms);
  ASSERT_TRUE(wait_until([&] { return engine->ledger().snapshot().total.accepted >= 5; }, 15s));
  engine->stop();
  const auto l = engine->ledger().snapshot();
  EXPECT_GT(engine->dispatcher().generation(), 2u) << "the pool never re-sent the job";
  EXPECT_EQ(l.duplicates_dropped, 0u) << "a device hashed the same headers twice";
  EXPECT_EQ(l.total.rejected, 0u);
  EXPECT_EQ(pool->stats().rejected, 0u);
  EXPECT_TRUE(l.total.balanced());
}

}  // namespace
