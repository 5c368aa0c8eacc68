// Routing end to end: a simulated fleet (12 miners of unequal, known rates, really hashing)
// behind the proxy, two built-in pools upstream, one with a target hashrate. After the grace
// period the target pool gets its target within the documented bound (docs/proxy-routing.md);
// a reload with a new target moves workers without a single disconnect; a killed pool's
// workers move to the other and come back when it returns.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "local_pool/local_pool.hpp"
#include "proxy/proxy_service.hpp"
#include "sim_miner.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih;
using namespace std::chrono_literals;
using ih::test::wait_until;

const double kUpstreamDifficulty = 1.0 / 65536;
// kH/s, unequal on purpose: 2.23 MH/s in all.
const double kRates[] = {40e3,  60e3,  80e3,  100e3, 120e3, 150e3,
                         180e3, 200e3, 250e3, 300e3, 350e3, 400e3};

std::unique_ptr<agent::local_pool::LocalPool> start_pool(std::uint16_t port = 0) {
  agent::local_pool::LocalPoolOptions o;
  o.port = port;
  o.session.initial_difficulty = kUpstreamDifficulty;
  o.session.vardiff = false;
  o.job_interval = 60s;
  auto pool = agent::local_pool::LocalPool::start(o);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  return pool.ok() ? std::move(*pool) : nullptr;
}

proxy::ProxyConfig fleet_config(std::uint16_t sn89_port, std::uint16_t own_port, double target_hs) {
  proxy::ProxyConfig c;
  proxy::ProxyPool sn89;
  sn89.name = "central-proxy";
  sn89.host = "127.0.0.1";
  sn89.port = sn89_port;
  sn89.worker_id = "sn89auction.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
  sn89.target_hashrate = target_hs;
  proxy::ProxyPool own;
  own.name = "own-pool";
  own.host = "127.0.0.1";
  own.port = own_port;
  own.worker_id = "myaccount";
  own.weight = 1;
  c.main = {sn89, own};
  c.routing.rebalance_interval_seconds = 1s;
  c.routing.grace_period_seconds = 3s;
  c.routing.min_shares_for_estimate = 10;
  c.routing.rebalance_threshold_percent = 10;
  c.routing.min_reassign_interval_seconds = 2s;
  return c;
}

struct Fleet {
  std::unique_ptr<agent::local_pool::LocalPool> sn89, own;
  std::unique_ptr<proxy::ProxyService> proxy;
  std::unique_ptr<test::SimFleet> miners;
  std::uint16_t own_port = 0;

  bool start(double target_hs) {
    sn89 = start_pool();
    own = start_pool();
    if (!sn89 || !own) return false;
    own_port = own->port();
    proxy::ProxyOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    o.config = fleet_config(sn89->port(), own_port, target_hs);
    o.shares_per_minute = 600;  // 10 shares/s each: estimates settle within the test
    o.initial_difficulty = kUpstreamDifficulty / 8;
    o.min_difficulty = 1.0 / (1u << 30);
    o.backoff_initial = 50ms;
    o.backoff_max = 200ms;
    auto p = proxy::ProxyService::start(std::move(o));
    EXPECT_TRUE(p.ok()) << p.error().message;
    if (!p.ok()) return false;
    proxy = std::move(*p);
    std::vector<test::SimMinerSpec> specs;
    for (std::size_t i = 0; i < std::size(kRates); ++i) {
      test::SimMinerSpec s;
      s.user = "fleet.w" + std::to_string(i);
      s.hashrate_hs = kRates[i];
      specs.push_back(s);
    }
    auto f = test::SimFleet::start("127.0.0.1", proxy->port(), specs);
    EXPECT_TRUE(f.ok()) << f.error().message;
    if (!f.ok()) return false;
    miners = std::move(*f);
    return wait_until([&] { return miners->totals().authorized == std::size(kRates); }, 15s);
  }

  // Each miner's real rate (hashes done over the time since `since`).
  std::map<std::string, double> real_rates(const std::vector<test::SimMinerStats>& before,
                                           double seconds) const {
    std::map<std::string, double> out;
    const auto now = miners->stats();
    for (std::size_t i = 0; i < now.size(); ++i)
      out[now[i].user] = static_cast<double>(now[i].hashes - before[i].hashes) / seconds;
    return out;
  }

  // Σ real rate of the miners on each pool (by the proxy's assignment), by pool name.
  std::map<std::string, double> delivered(const std::map<std::string, double>& rates) const {
    std::map<std::string, double> out;
    const auto s = proxy->status();
    for (const auto& p : s.pools) out[p.name] = 0;
    for (const auto& w : s.workers)
      if (w.pool && rates.count(w.name)) out[s.pools[*w.pool].name] += rates.at(w.name);
    return out;
  }

  void stop() {
    if (miners) miners->stop();
    if (proxy) proxy->stop();
    if (sn89) sn89->stop();
    if (own) own->stop();
  }
};

// The documented bound: the router lands within half the largest worker of the target on its
// estimates; estimates of ~100 shares are within ~30 % each, which the second term covers.
double bound_for(double target) {
  return 0.5 * 400e3 + 0.25 * target;
}

// Waits until the target pool's delivered rate stays inside the bound, measured over 3 s.
bool target_met(Fleet& f, double target, std::string& why) {
  for (int attempt = 0; attempt < 6; ++attempt) {
    const auto before = f.miners->stats();
    std::this_thread::sleep_for(3s);
    const auto rates = f.real_rates(before, 3.0);
    const auto d = f.delivered(rates);
    why = "central-proxy " + std::to_string(d.at("central-proxy")) + " H/s, own-pool " +
          std::to_string(d.at("own-pool")) + " H/s, target " + std::to_string(target);
    if (std::abs(d.at("central-proxy") - target) <= bound_for(target)) {
      std::printf("routing: %s (bound %.0f H/s)\n", why.c_str(), bound_for(target));
      return true;
    }
  }
  return false;
}

TEST(ProxyRouting, AFleetIsSplitToTheTargetAndFollowsReloadsAndDeadPools) {
  Fleet f;
  ASSERT_TRUE(f.start(1.0e6)) << "the fleet did not come up behind the proxy";
  std::string why;
  EXPECT_TRUE(target_met(f, 1.0e6, why)) << why;

  // Estimates track the real rates.
  {
    const auto before = f.miners->stats();
    std::this_thread::sleep_for(2s);
    const auto rates = f.real_rates(before, 2.0);
    for (const auto& w : f.proxy->status().workers) {
      ASSERT_TRUE(w.hashrate) << w.name << " has no estimate";
      EXPECT_NEAR(*w.hashrate, rates.at(w.name), 0.4 * rates.at(w.name)) << w.name;
    }
  }

  // The subnet tooling rewrites the target and sends SIGHUP: workers move, nobody drops.
  const auto before_reload = f.miners->stats();
  f.proxy->reload(fleet_config(f.sn89->port(), f.own_port, 0.5e6));
  EXPECT_TRUE(target_met(f, 0.5e6, why)) << why;
  const auto after_reload = f.miners->stats();
  for (std::size_t i = 0; i < after_reload.size(); ++i) {
    EXPECT_EQ(after_reload[i].drops, before_reload[i].drops) << after_reload[i].user;
    EXPECT_EQ(after_reload[i].connects, before_reload[i].connects) << after_reload[i].user;
    EXPECT_EQ(after_reload[i].reconnects, 0u) << after_reload[i].user;
  }
  EXPECT_GT(f.miners->totals().accepted, 0u);

  // The weighted pool dies: everyone mines on the target pool; it returns: they come back.
  f.own->stop();
  ASSERT_TRUE(wait_until(
      [&] {
        const auto s = f.proxy->status();
        for (const auto& w : s.workers)
          if (!w.pool || s.pools[*w.pool].name != "central-proxy") return false;
        return s.workers.size() == std::size(kRates);
      },
      10s))
      << "workers did not leave the dead pool";
  f.own = start_pool(f.own_port);
  ASSERT_TRUE(f.own);
  EXPECT_TRUE(wait_until(
      [&] {
        const auto s = f.proxy->status();
        for (const auto& p : s.pools)
          if (p.name == "own-pool" && p.workers > 0) return true;
        return false;
      },
      15s))
      << "no worker came back to the pool once it returned";
  EXPECT_TRUE(target_met(f, 0.5e6, why)) << why;

  // Nothing invalid went upstream at any point.
  EXPECT_EQ(f.sn89->stats().rejected, 0u);
  EXPECT_EQ(f.own->stats().rejected, 0u);
  f.stop();
}

// A miner that did not subscribe to extranonce changes is moved with client.reconnect, and
// its next connection lands on the new pool.
TEST(ProxyRouting, AMinerWithoutExtranonceSubscriptionIsMovedByReconnect) {
  auto a = start_pool();
  auto b = start_pool();
  ASSERT_TRUE(a && b);
  proxy::ProxyOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  o.config = fleet_config(a->port(), b->port(), 1e12);
  o.config.main.pop_back();  // pool a only, to begin with
  o.initial_difficulty = kUpstreamDifficulty / 8;
  o.min_difficulty = 1.0 / (1u << 30);
  o.shares_per_minute = 600;
  o.backoff_initial = 50ms;
  auto p = proxy::ProxyService::start(std::move(o));
  ASSERT_TRUE(p.ok()) << p.error().message;
  auto& proxy = *p;
  test::SimMinerSpec spec;
  spec.user = "farm.s19";
  spec.hashrate_hs = 100e3;
  spec.extranonce_subscribe = false;
  auto fleet = test::SimFleet::start("127.0.0.1", proxy->port(), {spec});
  ASSERT_TRUE(fleet.ok()) << fleet.error().message;
  ASSERT_TRUE(wait_until([&] { return (*fleet)->totals().authorized == 1; }, 10s));
  ASSERT_TRUE(wait_until([&] { return a->stats().accepted >= 1; }, 10s));
  // Now pool a goes away for good and b comes in: the miner must be sent to b.
  auto config = fleet_config(a->port(), b->port(), 1e12);
  config.main.erase(config.main.begin());
  proxy->reload(config);
  ASSERT_TRUE(wait_until([&] { return (*fleet)->stats(0).reconnects >= 1; }, 10s));
  ASSERT_TRUE(wait_until([&] { return b->stats().accepted >= 1; }, 15s))
      << "the reconnected miner's shares did not reach the new pool";
  const auto s = proxy->status();
  ASSERT_EQ(s.workers.size(), 1u);
  ASSERT_TRUE(s.workers[0].pool);
  EXPECT_EQ(s.pools[*s.workers[0].pool].name, "own-pool");
  (*fleet)->stop();
  proxy->stop();
}

}  // namespace
