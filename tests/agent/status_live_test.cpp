// The status endpoint read while the agent mines against the built-in pool: every route's
// schema, the auth matrix, control, /metrics through promtool, the cgminer API, TLS, the
// dashboard in headless Chromium. Ephemeral ports only.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "run_command.hpp"
#include "scripted_server.hpp"
#include "status/cgminer_server.hpp"
#include "status/status_routes.hpp"
#include "status/status_server.hpp"
#include "status_test_support.hpp"

namespace {

using namespace ih::agent;
using namespace ih::agent::status;
using namespace std::chrono_literals;
using nlohmann::json;

constexpr const char* kToken = "status-test-token-8e1f";

template <typename Predicate>
bool wait_until(Predicate done, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

class StatusLive : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    miner_ = ih::test::LiveMiner::start().release();
    ASSERT_NE(miner_, nullptr) << "the local pool or the engine did not start";
    health_ = new HealthPolicy();
  }
  static void TearDownTestSuite() {
    delete miner_;
    delete health_;
  }

  std::unique_ptr<StatusServer> serve(StatusServerOptions o) {
    o.host = "127.0.0.1";
    o.port = 0;
    auto server = std::make_unique<StatusServer>(o);
    for (auto& route : standard_routes(*miner_->source, *health_))
      server->add_route(std::move(route));
    auto port = server->start();
    EXPECT_TRUE(port) << port.error().message;
    return server;
  }
  std::unique_ptr<StatusServer> serve_open() { return serve({}); }
  std::unique_ptr<StatusServer> serve_guarded(bool write) {
    StatusServerOptions o;
    o.token = kToken;
    o.write = write;
    return serve(o);
  }

  static httplib::Result get(const StatusServer& s, const std::string& path,
                             const std::string& token = "") {
    httplib::Client client("127.0.0.1", s.port());
    client.set_read_timeout(10, 0);
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    return client.Get(path.c_str(), headers);
  }
  static httplib::Result rpc(const StatusServer& s, const std::string& method,
                             const std::string& token) {
    httplib::Client client("127.0.0.1", s.port());
    httplib::Headers headers;
    if (!token.empty()) headers.emplace("Authorization", "Bearer " + token);
    const std::string body = json{{"id", 1}, {"jsonrpc", "2.0"}, {"method", method}}.dump();
    return client.Post("/json_rpc", headers, body, "application/json");
  }

  static bool hashrate_shows() {
    const auto s = miner_->source->snapshot();
    return s.total.r10s.value_or(0) > 0;
  }

  static ih::test::LiveMiner* miner_;
  static HealthPolicy* health_;
};

ih::test::LiveMiner* StatusLive::miner_ = nullptr;
HealthPolicy* StatusLive::health_ = nullptr;

void expect_number_or_null(const json& v, const std::string& what) {
  EXPECT_TRUE(v.is_number() || v.is_null()) << what << " is " << v.dump();
}

TEST_F(StatusLive, EveryRouteHasItsSchemaAndTheHashrateShowsWithin15Seconds) {
  auto server = serve_open();
  ASSERT_TRUE(wait_until(hashrate_shows, 15s)) << "no 10 s hashrate after 15 s of mining";

  const auto before = miner_->engine->ledger().snapshot().total.accepted;
  auto r = get(*server, "/1/summary");
  const auto after = miner_->engine->ledger().snapshot().total.accepted;
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->get_header_value("Content-Type"), "application/json");
  const json s = json::parse(r->body);
  for (const char* key : {"id", "worker_id", "version", "kind", "ua", "algo"})
    EXPECT_TRUE(s[key].is_string()) << key;
  EXPECT_EQ(s["algo"], "sha256d");
  EXPECT_EQ(s["worker_id"], "status-test");
  EXPECT_TRUE(s["uptime"].is_number_integer());
  ASSERT_TRUE(s["hashrate"]["total"].is_array());
  ASSERT_EQ(s["hashrate"]["total"].size(), 3u);
  ASSERT_TRUE(s["hashrate"]["total"][0].is_number());
  EXPECT_GT(s["hashrate"]["total"][0].get<double>(), 0);
  expect_number_or_null(s["hashrate"]["total"][1], "total[1]");
  EXPECT_TRUE(s["hashrate"]["total"][2].is_null()) << "15 min window cannot have data yet";
  EXPECT_TRUE(s["hashrate"]["highest"].is_number());
  const json& results = s["results"];
  for (const char* key :
       {"diff_current", "shares_good", "shares_total", "avg_time", "hashes_total"})
    EXPECT_TRUE(results[key].is_number()) << key;
  EXPECT_TRUE(results["best"].is_array());
  EXPECT_LE(results["best"].size(), 10u);
  const auto good = results["shares_good"].get<std::uint64_t>();
  EXPECT_GE(good, before);
  EXPECT_LE(good, after);
  EXPECT_GT(good, 0u) << "no share accepted by the local pool";
  const json& c = s["connection"];
  EXPECT_TRUE(c["pool"].is_string());
  EXPECT_EQ(c["ip"], "127.0.0.1");
  for (const char* key : {"uptime", "ping", "failures", "accepted", "rejected"})
    EXPECT_TRUE(c[key].is_number_integer()) << key;
  EXPECT_TRUE(c["tls"].is_null());
  EXPECT_TRUE(s["cpu"]["brand"].is_string());
  EXPECT_TRUE(s["cpu"]["cores"].is_number_integer());
  EXPECT_TRUE(s["cpu"]["threads"].is_number_integer());
  EXPECT_TRUE(s["cpu"]["features"].is_array());
  const json& ledger = s["ledger"];
  for (const char* key : {"found", "accepted", "rejected", "stale", "hardware_errors", "pending"})
    EXPECT_TRUE(ledger["total"][key].is_number_integer()) << key;
  ASSERT_EQ(ledger["devices"].size(), 1u);
  ASSERT_EQ(ledger["pools"].size(), 1u);
  EXPECT_TRUE(ledger["reject_reasons"].is_object());

  r = get(*server, "/2/backends");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json b = json::parse(r->body);
  ASSERT_TRUE(b.is_array());
  ASSERT_EQ(b.size(), 1u);
  for (const char* key : {"name", "kind", "scanner"}) EXPECT_TRUE(b[0][key].is_string()) << key;
  EXPECT_EQ(b[0]["kind"], "cpu");
  EXPECT_TRUE(b[0]["threads"].is_number_integer());
  EXPECT_TRUE(b[0]["hardware_errors"].is_number_integer());
  ASSERT_EQ(b[0]["hashrate"].size(), 3u);
  EXPECT_GT(b[0]["hashrate"][0].get<double>(), 0);
  for (const char* key : {"temperature_c", "power_w", "fan_percent", "sm_clock_mhz"})
    EXPECT_TRUE(b[0]["health"][key].is_null()) << key << ": unknown on a CPU, never 0";

  r = get(*server, "/health");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body), json({{"status", "ok"}}));

  r = get(*server, "/dashboard/history");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  const json h = json::parse(r->body);
  ASSERT_TRUE(h["points"].is_array());
  ASSERT_GE(h["points"].size(), 2u);
  EXPECT_TRUE(h["points"][0][0].is_number());

  r = get(*server, "/metrics");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->get_header_value("Content-Type").find("text/plain; version=0.0.4"),
            std::string::npos);
  EXPECT_NE(r->body.find("infinite_hashes_shares_total{"), std::string::npos);

  r = get(*server, "/");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_NE(r->body.find("<canvas id=\"chart\""), std::string::npos);
  EXPECT_EQ(r->body.find("http://"), std::string::npos) << "the page loads nothing from outside";
  EXPECT_EQ(r->body.find("https://"), std::string::npos) << "the page loads nothing from outside";

  r = get(*server, "/no/such/route");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 404);
}

TEST_F(StatusLive, AuthMatrixWithAndWithoutAToken) {
  auto open = serve_open();
  auto guarded = serve_guarded(false);
  for (const char* path : {"/1/summary", "/2/backends", "/metrics", "/dashboard/history"}) {
    auto r = get(*open, path);
    ASSERT_TRUE(r) << path;
    EXPECT_EQ(r->status, 200) << path << ": no token configured, none needed";
    r = get(*open, path, "any-token-at-all");
    EXPECT_EQ(r->status, 200) << path;
    r = get(*guarded, path);
    EXPECT_EQ(r->status, 401) << path;
    EXPECT_EQ(r->get_header_value("WWW-Authenticate"), "Bearer");
    r = get(*guarded, path, "wrong-token-wrong");
    EXPECT_EQ(r->status, 403) << path;
    r = get(*guarded, path, std::string(kToken) + "x");
    EXPECT_EQ(r->status, 403) << path;
    r = get(*guarded, path, kToken);
    EXPECT_EQ(r->status, 200) << path;
  }
  httplib::Client basic("127.0.0.1", guarded->port());
  basic.set_basic_auth("user", kToken);
  auto r = basic.Get("/1/summary");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << "only Bearer tokens count";
  for (auto* server : {open.get(), guarded.get()}) {
    r = get(*server, "/health");
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->status == 200 || r->status == 503) << "health needs no token";
  }
}

TEST_F(StatusLive, WriteRoutesNeedWriteAndATokenThenPauseAndResumeTheDevices) {
  auto open = serve_open();
  auto read_only = serve_guarded(false);
  auto writable = serve_guarded(true);
  auto r = rpc(*open, "pause", "");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 403) << "no token: control is off";
  r = rpc(*read_only, "pause", kToken);
  EXPECT_EQ(r->status, 403) << "token but no --api-write";
  r = rpc(*writable, "pause", "");
  EXPECT_EQ(r->status, 401);
  r = rpc(*writable, "pause", "wrong-token-wrong");
  EXPECT_EQ(r->status, 403);
  EXPECT_FALSE(miner_->engine->paused()) << "a refused request changed something";
  r = rpc(*writable, "reboot", kToken);
  EXPECT_EQ(r->status, 404);
  EXPECT_EQ(json::parse(r->body)["error"]["code"], -32601);

  ASSERT_TRUE(wait_until([] { return miner_->engine->meter().total().total > 0; }, 10s));
  const auto generation = miner_->engine->dispatcher().generation();
  r = rpc(*writable, "pause", kToken);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(json::parse(r->body)["result"], "OK");
  std::this_thread::sleep_for(100ms);
  const auto stopped_at = miner_->engine->meter().total().total;
  std::this_thread::sleep_for(400ms);
  EXPECT_EQ(miner_->engine->meter().total().total, stopped_at)
      << "a device still hashed 100 ms after the pause";
  auto d = get(*writable, "/2/backends", kToken);
  EXPECT_TRUE(json::parse(d->body)[0]["paused"].get<bool>());
  auto h = get(*writable, "/health");
  EXPECT_EQ(h->status, 503);
  EXPECT_EQ(json::parse(h->body)["reason"], "paused");

  r = rpc(*writable, "resume", kToken);
  ASSERT_EQ(r->status, 200);
  EXPECT_TRUE(wait_until([&] { return miner_->engine->meter().total().total > stopped_at; }, 2s))
      << "devices did not resume";
  EXPECT_EQ(miner_->engine->dispatcher().generation(), generation)
      << "resume must carry on with the current job, not wait for a new one";
}

TEST_F(StatusLive, MetricsPassPromtool) {
  if (std::system("command -v promtool >/dev/null 2>&1") != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "promtool missing in CI (scripts/setup.sh test)";
    GTEST_SKIP() << "promtool not installed (Debian package prometheus; scripts/setup.sh test)";
  }
  auto server = serve_open();
  ASSERT_TRUE(wait_until([] { return miner_->source->snapshot().job.present; }, 10s));
  auto r = get(*server, "/metrics");
  ASSERT_TRUE(r);
  const std::string path = ih::test::write_temp_file("status-metrics.txt", r->body);
  const auto check = ih::test::run_command("promtool check metrics < " + path);
  EXPECT_EQ(check.exit_code, 0) << check.output << "\n" << r->body;
  for (const char* name :
       {"infinite_hashes_device_hashes_total", "infinite_hashes_shares_total",
        "infinite_hashes_hardware_errors_total", "infinite_hashes_pool_connected",
        "infinite_hashes_job_age_seconds", "infinite_hashes_share_difficulty",
        "infinite_hashes_pool_reconnects_total"})
    EXPECT_NE(r->body.find(std::string("# TYPE ") + name), std::string::npos) << name;
}

std::string cgminer_exchange(std::uint16_t port, const std::string& request, bool* closed) {
  const int fd = ih::test::connect_loopback(port);
  EXPECT_GE(fd, 0);
  if (fd < 0) return {};
  EXPECT_TRUE(ih::test::send_all(fd, request));
  const std::string reply = ih::test::read_until_closed(fd, 5s, closed);
  ::close(fd);
  return reply;
}

TEST_F(StatusLive, CgminerApiAnswersBothFormsWithANulAndCloses) {
  CgminerServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  CgminerServer server(o, [] { return miner_->source->snapshot(); });
  auto port = server.start();
  ASSERT_TRUE(port) << port.error().message;
  bool closed = false;
  std::string reply = cgminer_exchange(*port, "summary", &closed);
  EXPECT_TRUE(closed) << "the connection stays open after the reply";
  ASSERT_FALSE(reply.empty());
  EXPECT_EQ(reply.back(), '\0');
  EXPECT_EQ(reply.rfind("STATUS=S,", 0), 0u) << reply;
  EXPECT_NE(reply.find("|SUMMARY,Elapsed="), std::string::npos) << reply;

  reply = cgminer_exchange(*port, R"({"command":"devs","parameter":""})", &closed);
  EXPECT_TRUE(closed);
  ASSERT_FALSE(reply.empty());
  EXPECT_EQ(reply.back(), '\0');
  const json doc = json::parse(reply.substr(0, reply.size() - 1));
  EXPECT_EQ(doc["STATUS"][0]["STATUS"], "S");
  ASSERT_EQ(doc["DEVS"].size(), 1u);

  reply = cgminer_exchange(*port, "quit\n", &closed);
  EXPECT_TRUE(closed);
  EXPECT_EQ(reply.rfind("STATUS=E,", 0), 0u) << reply;
  EXPECT_NE(reply.find("Code=14"), std::string::npos) << reply;
}

TEST_F(StatusLive, TlsServesTheRoutesWithTheConfiguredCertificate) {
  const auto pki = ih::test::TestPki::generate();
  StatusServerOptions o;
  o.token = kToken;
  o.tls_cert_file = ih::test::write_temp_file("status-cert.pem", pki.server.cert_pem);
  o.tls_key_file = ih::test::write_temp_file("status-key.pem", pki.server.key_pem);
  auto server = serve(o);
  EXPECT_EQ(server->url().rfind("https://127.0.0.1:", 0), 0u) << server->url();
  httplib::SSLClient client("127.0.0.1", server->port());
  client.set_ca_cert_path(ih::test::write_temp_file("status-ca.pem", pki.ca_cert_pem).c_str());
  client.enable_server_certificate_verification(true);
  auto r = client.Get("/1/summary", {{"Authorization", std::string("Bearer ") + kToken}});
  ASSERT_TRUE(r) << "TLS request failed: " << httplib::to_string(r.error());
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(json::parse(r->body)["algo"], "sha256d");

  StatusServerOptions bad = o;
  bad.tls_key_file = ih::test::write_temp_file("status-bad-key.pem", "not a key");
  StatusServer broken(bad);
  EXPECT_FALSE(broken.start()) << "a bad key must be an error at start";
}

TEST_F(StatusLive, APortInUseIsAnErrorNotASharedPort) {
  auto first = serve_open();
  StatusServerOptions o;
  o.host = "127.0.0.1";
  o.port = first->port();
  StatusServer second(o);
  auto started = second.start();
  ASSERT_FALSE(started) << "two servers on one port";
  EXPECT_NE(started.error().message.find("cannot bind"), std::string::npos);
}

TEST_F(StatusLive, NoSecretAppearsInAnyResponse) {
  auto server = serve_guarded(true);
  ASSERT_TRUE(wait_until([] { return miner_->source->snapshot().job.present; }, 10s));
  for (const char* path :
       {"/1/summary", "/2/backends", "/metrics", "/dashboard/history", "/", "/health", "/nope"}) {
    for (const std::string& token :
         {std::string(), std::string("bad-token-bad"), std::string(kToken)}) {
      auto r = get(*server, path, token);
      ASSERT_TRUE(r) << path;
      EXPECT_EQ(r->body.find(kToken), std::string::npos) << path;
      EXPECT_EQ(r->body.find(ih::test::kPoolPassword), std::string::npos) << path;
    }
  }
}

TEST_F(StatusLive, DashboardInHeadlessChromiumShowsANonZeroHashrate) {
  if (::access("/usr/bin/chromium", X_OK) != 0) {
    if (std::getenv("CI") != nullptr) FAIL() << "chromium missing in CI (scripts/setup.sh test)";
    GTEST_SKIP() << "chromium not installed (Debian package chromium; scripts/setup.sh test)";
  }
  auto server = serve_guarded(false);  // the page sends the token from its URL fragment
  ASSERT_TRUE(wait_until(hashrate_shows, 15s));
  char dir_template[] = "/tmp/ih-chromium-XXXXXX";
  const char* profile = ::mkdtemp(dir_template);
  ASSERT_NE(profile, nullptr);
  const std::string url = server->url() + "#token=" + kToken;
  const auto r = ih::test::run_command(
      std::string("timeout 90 /usr/bin/chromium --headless --no-sandbox --disable-gpu "
                  "--disable-quic --no-first-run --disable-background-networking "
                  "--disable-component-update --disable-sync --user-data-dir=") +
      profile + " --virtual-time-budget=5000 --dump-dom '" + url + "'");
  std::system((std::string("rm -rf ") + profile).c_str());
  ASSERT_EQ(r.exit_code, 0) << r.output;
  std::smatch m;
  const std::regex rate_span(
      R"re(<span id="hashrate-10s" data-hps="([0-9.e+]+)">([^<]*)</span>)re");
  ASSERT_TRUE(std::regex_search(r.output, m, rate_span)) << r.output.substr(0, 4000);
  EXPECT_GT(std::stod(m[1].str()), 0) << m[0];
  EXPECT_NE(m[2].str().find("H/s"), std::string::npos) << m[0];
  EXPECT_NE(r.output.find("<span id=\"state\" class=\"ok\">mining</span>"), std::string::npos);
  EXPECT_NE(r.output.find("<td>cpu0 ("), std::string::npos) << "the device table is empty";
}

}  // namespace
