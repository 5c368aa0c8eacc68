// The engine against a scripted pool (tests/stratum/support): rejects with reasons, failover,
// shutdown with shares in flight.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "engine/console.hpp"
#include "engine/engine.hpp"
#include "scripted_server.hpp"

namespace {

using namespace ih::agent;
using ih::test::ScriptedServer;
using nlohmann::json;
using namespace std::chrono_literals;

constexpr double kEasy = 1.0 / 65536;

json notify_params(const std::string& job_id) {
  return json::array({job_id, std::string(64, '1'), "01000000", "ffffffff", json::array(),
                      "20000000", "207fffff", "6b0c221d", true});
}

std::unique_ptr<Engine> make_engine(const std::vector<std::string>& urls,
                                    std::chrono::milliseconds reply_wait) {
  EngineOptions options;
  options.threads = 1;
  options.cpu_kernel = "reference";
  options.reply_wait = reply_wait;
  for (const auto& url : urls) {
    // Password left empty: assigning a short literal trips GCC 12's false -Wrestrict.
    ih::stratum::PoolEndpoint endpoint;
    endpoint.url = url;
    endpoint.user = "scripted.worker";
    options.pool.pools.push_back(endpoint);
  }
  options.pool.backoff_initial = 50ms;
  options.pool.backoff_max = 200ms;
  options.pool.request_timeout = 5s;
  auto engine = Engine::create(options, make_stratum_pool_link);
  EXPECT_TRUE(engine.ok()) << engine.error().message;
  return engine.ok() ? std::move(*engine) : nullptr;
}

void serve_job(ScriptedServer& server, const std::string& job_id) {
  server.handshake("9d210c6b", 4);
  server.notify("mining.set_difficulty", json::array({kEasy}));
  server.notify("mining.notify", notify_params(job_id));
}

// Answers every submit with true until `done` is set.
void accept_submits_until(ScriptedServer& server, const std::atomic<bool>& done) {
  while (!done) {
    auto line = server.read_line(50ms);
    if (!line) continue;
    const json msg = json::parse(*line, nullptr, false);
    if (msg.is_object() && msg.value("method", "") == "mining.submit")
      server.reply(msg["id"], true);
  }
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

TEST(EngineScriptedPool, RejectedShareWithReasonLandsInTheLedger) {
  ScriptedServer server;
  auto engine = make_engine({server.url()}, 300ms);
  ASSERT_TRUE(engine);
  engine->start();
  ASSERT_TRUE(server.accept()) << server.last_error();
  serve_job(server, "j1");
  const json submit = server.expect("mining.submit", 15s);
  ASSERT_FALSE(submit.is_null());
  server.reply_error(submit["id"], json::array({23, "Low difficulty share", nullptr}));
  ASSERT_TRUE(wait_until([&] { return engine->ledger().snapshot().total.rejected >= 1; }, 5s));
  engine->stop();
  const auto l = engine->ledger().snapshot();
  bool reason_found = false;
  for (const auto& [reason, count] : l.reject_reasons)
    if (reason.find("Low difficulty share") != std::string::npos) reason_found = true;
  EXPECT_TRUE(reason_found) << "the pool's reason is not in the ledger";
  EXPECT_GE(l.devices[0].rejected, 1u);
  EXPECT_GE(l.pools[0].rejected, 1u);
  EXPECT_EQ(l.total.pending, 0u);
  EXPECT_TRUE(l.total.balanced());
}

TEST(EngineScriptedPool, FailoverDuringMiningLosesNoFoundShare) {
  auto primary = std::make_unique<ScriptedServer>();
  ScriptedServer backup;
  auto engine = make_engine({primary->url(), backup.url()}, 2s);
  ASSERT_TRUE(engine);
  engine->start();
  ASSERT_TRUE(primary->accept()) << primary->last_error();
  serve_job(*primary, "p1");
  const json first = primary->expect("mining.submit", 15s);
  ASSERT_FALSE(first.is_null());
  primary->reply(first["id"], true);
  ASSERT_TRUE(wait_until([&] { return engine->ledger().snapshot().total.accepted >= 1; }, 5s));
  primary.reset();  // the primary dies while the devices keep hashing

  ASSERT_TRUE(backup.accept(10s)) << backup.last_error();
  serve_job(backup, "b1");
  std::atomic<bool> done{false};
  std::thread answering([&] { accept_submits_until(backup, done); });
  const bool got_backup_shares =
      wait_until([&] { return engine->ledger().snapshot().pools.at(1).accepted >= 2; }, 15s);
  engine->stop();
  done = true;
  answering.join();
  ASSERT_TRUE(got_backup_shares);
  const auto l = engine->ledger().snapshot();
  EXPECT_GE(l.pools[0].accepted, 1u);
  EXPECT_EQ(l.total.pending, 0u);
  EXPECT_TRUE(l.total.balanced());
  EXPECT_TRUE(l.pools[0].balanced());
  EXPECT_TRUE(l.pools[1].balanced());
  EXPECT_EQ(l.pools[1].rejected, 0u);
}

TEST(EngineScriptedPool, ShutdownSendsFoundSharesAndWaitsForTheirReplies) {
  ScriptedServer server;
  auto engine = make_engine({server.url()}, 2s);
  ASSERT_TRUE(engine);
  engine->start();
  ASSERT_TRUE(server.accept()) << server.last_error();
  serve_job(server, "j1");
  std::vector<json> unanswered;
  for (int i = 0; i < 3; ++i) {
    unanswered.push_back(server.expect("mining.submit", 15s));
    ASSERT_FALSE(unanswered.back().is_null());
  }
  ShutdownReport report;
  std::atomic<bool> stopped{false};
  std::thread stopper([&] {
    report = engine->stop();
    stopped = true;
  });
  std::this_thread::sleep_for(200ms);  // replies arrive while the engine is shutting down
  for (const auto& s : unanswered) server.reply(s["id"], true);
  accept_submits_until(server, stopped);
  stopper.join();

  EXPECT_GE(report.pending_at_stop, 3u);
  EXPECT_LT(report.waited, 2s);
  const auto l = engine->ledger().snapshot();
  EXPECT_GE(l.total.accepted, 3u);
  EXPECT_EQ(l.total.rejected, 0u);
  EXPECT_EQ(l.total.pending, 0u);
  EXPECT_TRUE(l.total.balanced());
  const std::string summary = format_summary(1s, engine->meter().total(), l);
  EXPECT_NE(summary.find("pending 0"), std::string::npos) << summary;
  EXPECT_EQ(summary.find("DOES NOT BALANCE"), std::string::npos) << summary;
}

}  // namespace
