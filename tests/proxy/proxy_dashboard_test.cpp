// The proxy's status endpoint for real: its routes on the status HTTP server, two simulated
// miners behind it, the dashboard rendered by headless Chromium (it must list the workers and
// the routing split), /metrics passing promtool, the token rule on every route but /health.
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "local_pool/local_pool.hpp"
#include "proxy/proxy_routes.hpp"
#include "proxy/proxy_service.hpp"
#include "run_command.hpp"
#include "sim_miner.hpp"
#include "status/status_server.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih;
using namespace std::chrono_literals;

const char* kToken = "proxy-dashboard-token-7c1f";

struct Rig {
  std::unique_ptr<agent::local_pool::LocalPool> pool;
  std::unique_ptr<proxy::ProxyService> service;
  std::unique_ptr<agent::status::StatusServer> http;
  std::unique_ptr<test::SimFleet> fleet;

  void start() {
    agent::local_pool::LocalPoolOptions po;
    po.session.initial_difficulty = 1.0 / 65536;
    po.session.vardiff = false;
    auto started_pool = agent::local_pool::LocalPool::start(po);
    ASSERT_TRUE(started_pool.ok());
    pool = std::move(*started_pool);
    proxy::ProxyOptions o;
    o.host = "127.0.0.1";
    o.port = 0;
    proxy::ProxyPool up;
    up.name = "central-proxy";
    up.host = "127.0.0.1";
    up.port = pool->port();
    up.worker_id = "sn89auction.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    up.target_hashrate = 1e6;
    o.config.main = {up};
    o.config.routing.min_shares_for_estimate = 2;
    o.config.routing.grace_period_seconds = 0s;
    o.initial_difficulty = 1.0 / 65536;
    o.min_difficulty = 1.0 / 65536;
    o.backoff_initial = 50ms;
    auto started_service = proxy::ProxyService::start(std::move(o));
    ASSERT_TRUE(started_service.ok());
    service = std::move(*started_service);
    agent::status::StatusServerOptions so;
    so.port = 0;
    so.token = kToken;
    http = std::make_unique<agent::status::StatusServer>(so);
    for (auto& r : proxy::proxy_routes([s = service.get()] { return s->status(); }, "test"))
      http->add_route(std::move(r));
    ASSERT_TRUE(http->start().ok());
    auto started_fleet = test::SimFleet::start(
        "127.0.0.1", service->port(), {{"farm.s19a", "x", 300e3}, {"farm.s19b", "x", 300e3}});
    ASSERT_TRUE(started_fleet.ok());
    fleet = std::move(*started_fleet);
    ASSERT_TRUE(test::wait_until(
        [&] {
          const auto s = service->status();
          return s.workers.size() == 2 && s.workers[0].hashrate && s.workers[1].hashrate;
        },
        15s));
  }
  ~Rig() {
    if (fleet) fleet->stop();
    if (http) http->stop();
    if (service) service->stop();
    if (pool) pool->stop();
  }
};

TEST(ProxyStatus, RoutesNeedTheTokenAndShowEveryWorkerAndPool) {
  Rig rig;
  rig.start();
  httplib::Client c("127.0.0.1", rig.http->port());
  EXPECT_EQ(c.Get("/health")->status, 200);
  EXPECT_EQ(c.Get("/2/workers")->status, 401);
  const httplib::Headers auth{{"Authorization", std::string("Bearer ") + kToken}};
  auto workers = c.Get("/2/workers", auth);
  ASSERT_TRUE(workers);
  ASSERT_EQ(workers->status, 200);
  const auto w = nlohmann::json::parse(workers->body);
  ASSERT_EQ(w["workers"].size(), 2u);
  EXPECT_EQ(w["workers"][0]["pool"], "central-proxy");
  EXPECT_GT(w["workers"][0]["hashrate"].get<double>(), 0);
  EXPECT_EQ(w["workers"][0]["upstream_name"].get<std::string>().rfind("sn89auction.", 0), 0u);
  // /1/summary carries xmrig-proxy's keys.
  const auto summary = nlohmann::json::parse(c.Get("/1/summary", auth)->body);
  EXPECT_EQ(summary["kind"], "proxy");
  EXPECT_EQ(summary["algo"], "sha256d");
  EXPECT_EQ(summary["miners"]["now"], 2);
  EXPECT_EQ(summary["upstreams"]["total"], summary["pools"]);
  EXPECT_GE(summary["upstreams"]["active"].get<int>(), 1);
  EXPECT_GT(summary["hashrate"]["total"][0].get<double>(), 0);
  EXPECT_EQ(summary["results"]["accepted"], summary["results"]["shares_good"]);
  const auto pools = nlohmann::json::parse(c.Get("/2/pools", auth)->body);
  EXPECT_EQ(pools["pools"][0]["workers"], 2);
  EXPECT_EQ(pools["pools"][0]["target_hashrate"], 1e6);
  const auto metrics = c.Get("/metrics", auth);
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("infinite_hashes_proxy_worker_hashrate_hashes_per_second{"),
            std::string::npos);
  EXPECT_EQ(metrics->body.find(kToken), std::string::npos);
  if (::access("/usr/bin/promtool", X_OK) == 0) {
    const std::string file = ::testing::TempDir() + "proxy_metrics.txt";
    FILE* f = std::fopen(file.c_str(), "w");
    std::fwrite(metrics->body.data(), 1, metrics->body.size(), f);
    std::fclose(f);
    const auto r = test::run_command("promtool check metrics < " + file);
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }
}

TEST(ProxyStatus, DashboardInHeadlessChromiumListsWorkersAndTheSplit) {
  if (::access("/usr/bin/chromium", X_OK) != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "chromium missing in CI (scripts/setup.sh test)";
    GTEST_SKIP() << "chromium not installed (Debian package chromium; scripts/setup.sh test)";
  }
  Rig rig;
  rig.start();
  char dir_template[] = "/tmp/ih-chromium-XXXXXX";
  const char* profile = ::mkdtemp(dir_template);
  ASSERT_NE(profile, nullptr);
  const std::string url = rig.http->url() + "#token=" + kToken;
  const auto r = test::run_command(
      std::string("timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
                  "--disable-quic --no-first-run --disable-background-networking "
                  "--disable-component-update --disable-sync --user-data-dir=") +
      profile + " --virtual-time-budget=5000 --dump-dom '" + url + "'");
  std::system((std::string("rm -rf ") + profile).c_str());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("<span id=\"state\" class=\"ok\">routing</span>"), std::string::npos)
      << r.output.substr(0, 4000);
  EXPECT_NE(r.output.find("<td>farm.s19a</td>"), std::string::npos) << r.output.substr(0, 4000);
  EXPECT_NE(r.output.find("<td>farm.s19b</td>"), std::string::npos);
  EXPECT_NE(r.output.find("<td>central-proxy</td><td>up</td><td>1.00 MH/s</td>"), std::string::npos)
      << r.output.substr(0, 4000);
}

}  // namespace
