// End to end on loopback: the engine and the real stratum client against two built-in pools that
// each accept only their own user (the SN89 name on one, a plain account on the other), the
// pool list made by the same resolution `mine` uses. The first pool dies: the agent mines on the
// second under its name; the first comes back: the agent returns to it.
#include <gtest/gtest.h>

#include <chrono>
#include <mutex>

#include "config/mine_config.hpp"
#include "engine/engine.hpp"
#include "local_pool/local_pool.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih::agent;
using namespace std::chrono_literals;
using ih::test::wait_until;

const std::string kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const std::string kSn89User = "sn89auction." + kAlice + ".rig1";

std::unique_ptr<local_pool::LocalPool> start_pool(const std::string& user, std::uint16_t port = 0) {
  local_pool::LocalPoolOptions options;
  options.port = port;
  options.session.initial_difficulty = 1.0 / 65536;
  options.session.vardiff = false;
  options.session.expected_user = user;
  options.job_interval = 60s;
  auto pool = local_pool::LocalPool::start(options);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  return pool.ok() ? std::move(*pool) : nullptr;
}

struct Connections {
  std::mutex mutex;
  std::vector<std::pair<std::size_t, bool>> events;
  bool last_up_is(std::size_t pool) {
    std::lock_guard lock(mutex);
    for (auto it = events.rbegin(); it != events.rend(); ++it)
      if (it->second) return it->first == pool;
    return false;
  }
};

std::unique_ptr<Engine> make_engine(const std::vector<ResolvedPool>& pools, Connections& seen) {
  EngineOptions options;
  options.threads = 1;
  options.cpu_kernel = "reference";
  options.reply_wait = 2s;
  for (const auto& p : pools) options.pool.pools.push_back(to_endpoint(p));
  options.pool.backoff_initial = 50ms;
  options.pool.backoff_max = 200ms;
  options.pool.request_timeout = 2s;
  options.pool.primary_healthy_for = 500ms;
  EngineObserver observer;
  observer.on_connection = [&seen](std::size_t pool, bool up, std::string_view) {
    std::lock_guard lock(seen.mutex);
    seen.events.emplace_back(pool, up);
  };
  auto engine = Engine::create(options, make_stratum_pool_link, observer);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

// Pool 0 as the SN89 name (defaults), pool 1 with its own plain account.
MineConfig two_pools(const std::string& first_url, const std::string& second_url) {
  MineConfig c;
  c.hotkey = kAlice;
  c.worker = "rig1";
  c.pools = {PoolEntry{first_url, {}, true}, PoolEntry{second_url, {}, true}};
  c.pools[1].settings.user = "myaccount.rig1";
  return c;
}

TEST(EnginePoolFailover, EachPoolGetsItsOwnUserAcrossFailoverAndReturn) {
  auto primary = start_pool(kSn89User);
  auto backup = start_pool("myaccount.rig1");
  ASSERT_TRUE(primary && backup);
  const std::uint16_t primary_port = primary->port();
  auto pools = resolve_pools(two_pools(primary->url(), backup->url()));
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  Connections seen;
  auto engine = make_engine(*pools, seen);
  ASSERT_TRUE(engine);
  engine->start();

  ASSERT_TRUE(wait_until([&] { return primary->stats().accepted >= 2; }, 15s))
      << "the primary accepted no shares from " << kSn89User;
  primary->stop();  // killed
  ASSERT_TRUE(wait_until([&] { return backup->stats().accepted >= 2; }, 15s))
      << "no failover to the backup as myaccount.rig1";
  EXPECT_TRUE(seen.last_up_is(1));

  primary = start_pool(kSn89User, primary_port);  // back, on the same address
  ASSERT_TRUE(primary);
  ASSERT_TRUE(wait_until([&] { return primary->stats().accepted >= 2; }, 15s))
      << "the agent did not return to the primary";
  EXPECT_TRUE(seen.last_up_is(0));
  engine->stop();
  EXPECT_EQ(primary->stats().rejected, 0u);
  EXPECT_EQ(backup->stats().rejected, 0u);
  // A share in flight when the primary was killed is lost, never answered; the ledger says so.
  // Any other rejection would be a share sent to the wrong pool or under the wrong user.
  const auto ledger = engine->ledger().snapshot();
  std::uint64_t lost_in_flight = 0;
  for (const auto& [reason, count] : ledger.reject_reasons) {
    EXPECT_EQ(reason.rfind("no reply: connection lost", 0), 0u) << reason;
    lost_in_flight += count;
  }
  EXPECT_EQ(ledger.total.rejected, lost_in_flight);
  EXPECT_LE(lost_in_flight, 2u);
}

TEST(EnginePoolFailover, APoolRefusingTheUserIsFailedOverAndNoShareGoesToIt) {
  // The lists swapped: pool 0 expects the plain account but is sent the SN89 name.
  auto wrong = start_pool("myaccount.rig1");
  auto right = start_pool("myaccount.rig1");
  ASSERT_TRUE(wrong && right);
  auto pools = resolve_pools(two_pools(wrong->url(), right->url()));
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  Connections seen;
  auto engine = make_engine(*pools, seen);
  ASSERT_TRUE(engine);
  engine->start();
  ASSERT_TRUE(wait_until([&] { return right->stats().accepted >= 2; }, 15s));
  engine->stop();
  EXPECT_EQ(wrong->stats().accepted + wrong->stats().rejected, 0u);
  EXPECT_TRUE(seen.last_up_is(1));
}

}  // namespace
