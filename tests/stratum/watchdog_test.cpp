// Dead pools: a pool whose socket is up but gives no usable work, drops after authorize,
// never answers, redirects to itself or ignores/rejects submits fails over with back-off.
#include <gtest/gtest.h>

#include <thread>

#include "client_events.hpp"
#include "ih/stratum/client/pool_client.hpp"
#include "pool_fixtures.hpp"
#include "scripted_server.hpp"

namespace {

using namespace ih::stratum;
using ih::test::ClientEvents;
using ih::test::notify_params;
using ih::test::ScriptedServer;
using ih::test::share_for;
using nlohmann::json;
using namespace std::chrono_literals;

PoolClientOptions watchdog_options(std::vector<std::string> urls) {
  PoolClientOptions o;
  for (auto& u : urls) o.pools.push_back({u, "refminer.worker1", "x", {}});
  o.backoff_initial = 50ms;
  o.backoff_max = 1s;
  o.request_timeout = 2s;
  o.keepalive = 10s;
  o.primary_healthy_for = 10s;  // no return to the primary during these tests
  o.watchdog.handshake_timeout = 300ms;
  o.watchdog.job_timeout = 300ms;
  o.watchdog.stale_after = 2s;
  o.watchdog.healthy_after = 200ms;
  return o;
}

// The backup takes over and delivers work from pool 1 (its job is the `nth` the client got).
void expect_backup_mines(ScriptedServer& backup, ClientEvents& log, std::size_t nth = 1) {
  ASSERT_TRUE(backup.accept()) << "the healthy backup is used";
  backup.handshake();
  backup.notify("mining.notify", notify_params("b1"));
  ASSERT_TRUE(log.wait_jobs(nth));
  EXPECT_EQ(log.jobs().back().pool_index, 1u);
}

TEST(PoolWatchdog, MalformedJobsFailThePoolOver) {
  ScriptedServer primary, backup;
  ClientEvents log;
  PoolClient client(watchdog_options({primary.url(), backup.url()}), log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.handshake();
  auto bad = notify_params("x");
  bad[1] = "not hex";
  for (int i = 0; i < 3; ++i) primary.notify("mining.notify", bad);
  EXPECT_TRUE(primary.wait_closed());
  EXPECT_TRUE(log.wait_health(PoolHealthReason::invalid_jobs));
  expect_backup_mines(backup, log);
  client.stop();
}

TEST(PoolWatchdog, NoJobAfterAuthorizeFailsThePoolOver) {
  ScriptedServer primary, backup;
  ClientEvents log;
  PoolClient client(watchdog_options({primary.url(), backup.url()}), log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.handshake();
  EXPECT_TRUE(primary.wait_closed(2s)) << "--pool-job-timeout";
  EXPECT_TRUE(log.wait_health(PoolHealthReason::no_job));
  expect_backup_mines(backup, log);
  client.stop();
}

TEST(PoolWatchdog, JobsThatStopComingFailThePoolOver) {
  ScriptedServer primary, backup;
  ClientEvents log;
  auto options = watchdog_options({primary.url(), backup.url()});
  options.watchdog.stale_after = 300ms;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.handshake();
  primary.notify("mining.notify", notify_params("p1"));
  ASSERT_TRUE(log.wait_jobs(1));
  EXPECT_TRUE(primary.wait_closed(2s)) << "--pool-stale-after";
  EXPECT_TRUE(log.wait_health(PoolHealthReason::jobs_stale));
  expect_backup_mines(backup, log, 2);
  client.stop();
}

TEST(PoolWatchdog, UnansweredHandshakeTimesOut) {
  ScriptedServer primary, backup;
  ClientEvents log;
  PoolClient client(watchdog_options({primary.url(), backup.url()}), log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.expect("mining.configure");  // read, never answered
  EXPECT_TRUE(primary.wait_closed(2s));
  EXPECT_TRUE(log.wait_health(PoolHealthReason::handshake_timeout));
  expect_backup_mines(backup, log);
  client.stop();
}

TEST(PoolWatchdog, APoolThatDropsAfterAuthorizeBacksOffAndGivesWay) {
  ScriptedServer primary, backup;
  ClientEvents log;
  PoolClient client(watchdog_options({primary.url(), backup.url()}), log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.handshake();
  primary.drop();
  expect_backup_mines(backup, log);
  EXPECT_TRUE(log.wait_health(PoolHealthReason::dropped_early));
  client.stop();
}

// Counts the sessions a lone pool gets in `window` when each ends at once in `end_session`.
template <class F>
int sessions_in(ScriptedServer& pool, std::chrono::milliseconds window, F end_session) {
  int sessions = 0;
  const auto until = std::chrono::steady_clock::now() + window;
  while (std::chrono::steady_clock::now() < until) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (!pool.accept(std::max(left, 1ms))) break;
    ++sessions;
    end_session();
  }
  return sessions;
}

TEST(PoolWatchdog, AuthorizeThenDropIsNotATightLoop) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(watchdog_options({pool.url()}), log.events());
  client.start();
  const int sessions = sessions_in(pool, 1500ms, [&] {
    pool.handshake();
    pool.drop();
  });
  client.stop();
  // Back-off 50, 100, 200, 400, 800 ms (+-25 %): about 5 in 1.5 s; a reset per authorize
  // would give about 30.
  EXPECT_GE(sessions, 2);
  EXPECT_LE(sessions, 7);
}

TEST(PoolWatchdog, ReconnectToItselfGoesThroughTheBackoff) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(watchdog_options({pool.url()}), log.events());
  client.start();
  const int sessions = sessions_in(pool, 1500ms, [&] {
    pool.handshake();
    pool.notify("client.reconnect", json::array({"127.0.0.1", pool.port(), 0}));
    pool.wait_closed(1s);
  });
  client.stop();
  EXPECT_GE(sessions, 2);
  EXPECT_LE(sessions, 7);
  EXPECT_TRUE(log.wait_health(PoolHealthReason::redirect_loop, 0ms));
}

TEST(PoolWatchdog, APoolThatNeverAnswersSubmitsFailsOver) {
  ScriptedServer primary, backup;
  ClientEvents log;
  auto options = watchdog_options({primary.url(), backup.url()});
  options.request_timeout = 150ms;
  options.watchdog.max_unanswered_submits = 3;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.handshake();
  primary.notify("mining.notify", notify_params("p1"));
  ASSERT_TRUE(log.wait_jobs(1));
  for (std::uint32_t n = 0; n < 3; ++n) client.submit(share_for(log.jobs()[0], n));
  EXPECT_TRUE(primary.wait_closed(2s));
  EXPECT_TRUE(log.wait_health(PoolHealthReason::submits_unanswered));
  ASSERT_TRUE(log.wait_results(3));
  for (const auto& r : log.results()) EXPECT_EQ(r.outcome, SubmitOutcome::timed_out);
  expect_backup_mines(backup, log, 2);
  client.stop();
}

TEST(PoolWatchdog, RejectEverythingIsLoudAndFailsOverAboveTheRatio) {
  ScriptedServer primary, backup;
  ClientEvents log;
  auto options = watchdog_options({primary.url(), backup.url()});
  options.watchdog.reject_alarm_after = 3;
  options.watchdog.max_reject_ratio = 0.5;
  options.watchdog.reject_window = 4;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.handshake();
  primary.notify("mining.notify", notify_params("p1"));
  ASSERT_TRUE(log.wait_jobs(1));
  for (std::uint32_t n = 0; n < 4; ++n) {
    client.submit(share_for(log.jobs()[0], n));
    auto submit = primary.expect("mining.submit");
    primary.reply_error(submit["id"], json::array({23, "Low difficulty share", nullptr}));
    if (n == 2) {
      EXPECT_TRUE(log.wait_health(PoolHealthReason::rejects_shares));
    }
  }
  EXPECT_TRUE(primary.wait_closed(2s)) << "4 of 4 rejected > 0.5";
  ASSERT_TRUE(log.wait_results(4));
  for (const auto& r : log.results()) EXPECT_EQ(r.outcome, SubmitOutcome::rejected);
  ASSERT_TRUE(backup.accept());
  client.stop();
}

TEST(PoolWatchdog, AHealthySessionIsReportedAndResetsTheBackoff) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(watchdog_options({pool.url()}), log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  pool.handshake();
  pool.notify("mining.notify", notify_params("p1"));
  EXPECT_TRUE(log.wait_health(PoolHealthReason::mining));
  EXPECT_TRUE(log.wait_health(PoolHealthReason::healthy, 2s));
  EXPECT_EQ(log.health().back().failures, 0u);
  client.stop();
}

}  // namespace
