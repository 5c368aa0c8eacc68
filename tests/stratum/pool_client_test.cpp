// PoolClient over real loopback sockets against the scripted pool: the whole flow, reconnect
// with resume, failover and back, client.reconnect, keep-alive.
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

PoolClientOptions fast_options(std::vector<std::string> urls) {
  PoolClientOptions o;
  for (auto& u : urls) o.pools.push_back({u, "refminer.worker1", "x", {}});
  o.backoff_initial = 50ms;
  o.backoff_max = 200ms;
  o.request_timeout = 2s;
  o.keepalive = 10s;
  o.primary_healthy_for = 300ms;
  return o;
}

TEST(PoolClient, JobsInSharesOutResultsBack) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(fast_options({pool.url()}), log.events());
  client.start();
  ASSERT_TRUE(pool.accept()) << pool.last_error();
  pool.handshake();
  pool.notify("mining.set_difficulty", json::array({0.5}));
  pool.notify("mining.notify", notify_params("j1"));
  ASSERT_TRUE(log.wait_jobs(1));
  const Job job = log.jobs()[0];
  EXPECT_EQ(job.fields.job_id, "j1");
  EXPECT_DOUBLE_EQ(job.difficulty, 0.5);
  EXPECT_EQ(job.pool_index, 0u);
  ASSERT_TRUE(log.wait_connections(1));
  EXPECT_TRUE(log.connections()[0].up);

  const auto id1 = client.submit(share_for(job, 0x11));
  const auto id2 = client.submit(share_for(job, 0x22));
  auto s1 = pool.expect("mining.submit");
  auto s2 = pool.expect("mining.submit");
  EXPECT_EQ(s1["params"][4], "00000011");
  pool.reply(s1["id"], true);
  pool.reply_error(s2["id"], json::array({23, "Low difficulty share", nullptr}));
  ASSERT_TRUE(log.wait_results(2));
  auto results = log.results();
  EXPECT_EQ(results[0].share_id, id1);
  EXPECT_EQ(results[0].outcome, SubmitOutcome::accepted);
  EXPECT_EQ(results[1].share_id, id2);
  EXPECT_EQ(results[1].outcome, SubmitOutcome::rejected);
  EXPECT_EQ(results[1].reason, "code 23: Low difficulty share");
  EXPECT_EQ(client.pending_submits(), 0u);

  Share stale = share_for(job, 0x33);
  stale.epoch = job.epoch - 1;
  const auto id3 = client.submit(stale);
  ASSERT_TRUE(log.wait_results(3));
  EXPECT_EQ(log.results()[2].share_id, id3);
  EXPECT_EQ(log.results()[2].outcome, SubmitOutcome::stale);

  pool.notify("client.show_message", json::array({"hello miner"}));
  pool.send_line(R"({"id":9,"method":"client.get_version","params":[]})");
  auto version = json::parse(pool.read_line().value_or("null"));
  EXPECT_EQ(version["result"], "infinite-hashes/0.1");
  EXPECT_EQ(log.messages(), std::vector<std::string>{"hello miner"});
  client.stop();
}

TEST(PoolClient, SpeaksEveryOptionalMethodWithTheScriptedPool) {
  ScriptedServer pool;
  ClientEvents log;
  auto options = fast_options({pool.url()});
  options.extranonce_subscribe = true;
  options.suggest_difficulty = 1024;
  options.pools[0].extra_users = {"refminer.worker2"};
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  auto configure = pool.expect("mining.configure");
  EXPECT_EQ(configure["params"][0], json::array({"version-rolling"}));
  pool.reply(configure["id"], {{"version-rolling", true}, {"version-rolling.mask", "1fffe000"}});
  auto subscribe = pool.expect("mining.subscribe");
  pool.reply(subscribe["id"],
             json::array({json::array({json::array({"mining.notify", "s7"})}), "01020304", 4}));
  EXPECT_EQ(pool.expect("mining.suggest_difficulty")["params"][0], 1024.0);
  auto auth1 = pool.expect("mining.authorize");
  auto auth2 = pool.expect("mining.authorize");
  EXPECT_EQ(auth2["params"][0], "refminer.worker2");
  pool.expect("mining.extranonce.subscribe");  // left unanswered, as many pools do
  pool.reply(auth1["id"], true);
  pool.reply(auth2["id"], true);
  pool.notify("mining.set_difficulty", json::array({1024}));
  pool.notify("mining.notify", notify_params("m1"));
  ASSERT_TRUE(log.wait_jobs(1));
  pool.notify("mining.set_extranonce", json::array({"0a0b0c0d0e", 3}));
  pool.notify("mining.set_version_mask", json::array({"00ffe000"}));
  ASSERT_TRUE(log.wait_jobs(2));
  EXPECT_EQ(log.jobs()[1].version_mask, 0x00ffe000u);
  pool.notify("mining.notify", notify_params("m2", false));
  ASSERT_TRUE(log.wait_jobs(3));
  const Job job = log.jobs()[2];
  EXPECT_EQ(to_hex(job.extranonce1), "0a0b0c0d0e");
  EXPECT_EQ(job.extranonce2_size, 3u);
  EXPECT_DOUBLE_EQ(job.difficulty, 1024);
  pool.send_line(R"({"id":"ping-1","method":"mining.ping","params":[]})");
  auto pong = json::parse(pool.read_line().value_or("null"));
  EXPECT_EQ(pong["id"], "ping-1");
  EXPECT_EQ(pong["result"], "pong");
  Share share = share_for(job, 0xabcdef01);
  share.version_bits = 0x1234e000;
  share.worker = "refminer.worker2";
  client.submit(share);
  auto submit = pool.expect("mining.submit");
  EXPECT_EQ(submit["params"],
            json::array({"refminer.worker2", "m2", "000000", "6b0c221d", "abcdef01", "0034e000"}));
  pool.send_json({{"id", submit["id"]}, {"result", false}, {"reject-reason", "Above target"}});
  ASSERT_TRUE(log.wait_results(1));
  EXPECT_EQ(log.results()[0].outcome, SubmitOutcome::rejected);
  EXPECT_EQ(log.results()[0].reason, "Above target");
  client.stop();
}

TEST(PoolClient, PendingSharesTimeOutOnStop) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(fast_options({pool.url()}), log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  pool.handshake();
  pool.notify("mining.notify", notify_params("j1"));
  ASSERT_TRUE(log.wait_jobs(1));
  client.submit(share_for(log.jobs()[0], 1));
  pool.expect("mining.submit");
  client.stop();
  ASSERT_EQ(log.results().size(), 1u);
  EXPECT_EQ(log.results()[0].outcome, SubmitOutcome::timed_out);
  const auto late = client.submit(share_for(log.jobs()[0], 2));
  ASSERT_EQ(log.results().size(), 2u);
  EXPECT_EQ(log.results()[1].share_id, late);
  EXPECT_EQ(log.results()[1].outcome, SubmitOutcome::stale);
}

TEST(PoolClient, ReconnectsAndResumesTheSession) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(fast_options({pool.url()}), log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  pool.handshake("abcd0001", 4);
  pool.notify("mining.notify", notify_params("j1"));
  ASSERT_TRUE(log.wait_jobs(1));
  pool.drop();
  ASSERT_TRUE(pool.accept()) << "the client should come back";
  pool.expect("mining.configure");
  auto subscribe = pool.expect("mining.subscribe");
  EXPECT_EQ(subscribe["params"], json::array({"infinite-hashes/0.1", "abcd0001"}));
  pool.reply(subscribe["id"], json::array({nullptr, "abcd0001", 4}));
  pool.notify("mining.notify", notify_params("j2", false));
  ASSERT_TRUE(log.wait_jobs(2));
  EXPECT_GT(log.jobs()[1].epoch, log.jobs()[0].epoch);
  auto connections = log.connections();
  ASSERT_GE(connections.size(), 2u);
  EXPECT_FALSE(connections[1].up);
  client.stop();
}

TEST(PoolClient, FailsOverToTheBackupAndReturnsToThePrimary) {
  ScriptedServer primary, backup;
  ClientEvents log;
  PoolClient client(fast_options({primary.url(), backup.url()}), log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.drop();  // the primary fails before the handshake
  ASSERT_TRUE(backup.accept()) << "failover to the second pool";
  backup.handshake("0000000b", 4);
  backup.notify("mining.notify", notify_params("b1"));
  ASSERT_TRUE(log.wait_jobs(1));
  EXPECT_EQ(log.jobs()[0].pool_index, 1u);

  ASSERT_TRUE(primary.accept()) << "the primary is probed while the backup works";
  primary.handshake("0000000a", 4);
  primary.notify("mining.notify", notify_params("a1"));
  ASSERT_TRUE(log.wait_jobs(2, 3s));
  const Job back = log.jobs()[1];
  EXPECT_EQ(back.pool_index, 0u);
  EXPECT_EQ(back.fields.job_id, "a1");
  EXPECT_GT(back.epoch, log.jobs()[0].epoch);
  EXPECT_TRUE(backup.wait_closed()) << "the backup is left";
  client.stop();
}

TEST(PoolClient, TakesTheProbedPrimaryAtOnceWhenTheBackupDies) {
  ScriptedServer primary, backup;
  ClientEvents log;
  auto options = fast_options({primary.url(), backup.url()});
  options.primary_healthy_for = 10s;  // the backup's death, not the timer, decides
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(primary.accept());
  primary.drop();
  ASSERT_TRUE(backup.accept());
  backup.handshake();
  ASSERT_TRUE(primary.accept()) << "probe";
  primary.handshake();
  primary.notify("mining.notify", notify_params("p1"));
  std::this_thread::sleep_for(100ms);  // let the probe finish its handshake
  EXPECT_TRUE(log.jobs().empty()) << "a probe's jobs are held back";
  backup.drop();
  ASSERT_TRUE(log.wait_jobs(1, 1s));
  EXPECT_EQ(log.jobs()[0].pool_index, 0u);
  EXPECT_EQ(log.jobs()[0].fields.job_id, "p1");
  client.stop();
}

TEST(PoolClient, CyclesThroughDeadPoolsWithGrowingBackoff) {
  std::string dead[2];
  for (auto& url : dead) {
    ScriptedServer closed_again;  // a port that was just free: nothing listens there now
    url = "stratum+tcp://127.0.0.1:" + std::to_string(closed_again.port());
  }
  ClientEvents log;
  PoolClient client(fast_options({dead[0], dead[1]}), log.events());
  const auto started = std::chrono::steady_clock::now();
  client.start();
  ASSERT_TRUE(log.wait_connections(4, 5s));
  const auto elapsed = std::chrono::steady_clock::now() - started;
  client.stop();
  const auto c = log.connections();
  for (std::size_t i = 0; i < 4; ++i) {
    EXPECT_FALSE(c[i].up);
    EXPECT_EQ(c[i].pool, i % 2) << "priority order, then around again";
  }
  // Delays 50, 100, 200 ms (+-25 %) between the four attempts: no hammering.
  EXPECT_GE(elapsed, 250ms);
}

TEST(PoolClient, FollowsClientReconnectOnTheSameHostOnly) {
  ScriptedServer first, second;
  ClientEvents log;
  PoolClient client(fast_options({first.url()}), log.events());
  client.start();
  ASSERT_TRUE(first.accept());
  first.handshake();
  first.notify("client.reconnect", json::array({"127.0.0.1", second.port(), 0}));
  ASSERT_TRUE(second.accept()) << "same host, new port: followed";
  second.handshake();
  second.notify("client.reconnect", json::array({"elsewhere.invalid", 1234, 0}));
  ASSERT_TRUE(first.accept()) << "another host is not allowed: back to the configured pool";
  first.handshake();
  first.notify("mining.notify", notify_params("j1"));
  ASSERT_TRUE(log.wait_jobs(1));
  client.stop();
}

TEST(PoolClient, ReconnectsWhenThePoolFallsSilent) {
  ScriptedServer pool;
  ClientEvents log;
  auto options = fast_options({pool.url()});
  options.keepalive = 200ms;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  pool.handshake();
  const auto silent_since = std::chrono::steady_clock::now();
  EXPECT_TRUE(pool.wait_closed(2s));
  EXPECT_GE(std::chrono::steady_clock::now() - silent_since, 150ms);
  ASSERT_TRUE(pool.accept()) << "and comes back";
  client.stop();
}

TEST(PoolClient, SurvivesGarbageAndReconnectsAfterAnEndlessLine) {
  ScriptedServer pool;
  ClientEvents log;
  PoolClient client(fast_options({pool.url()}), log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  pool.handshake();
  pool.send_line("this is not json");
  pool.send_line(R"({"id":99,"result":true,"error":null})");
  pool.send_line(R"({"id":null,"method":"mining.set_difficulty","params":[-1]})");
  pool.notify("mining.notify", notify_params("after-garbage"));
  ASSERT_TRUE(log.wait_jobs(1)) << "the session survived the garbage";
  pool.send_raw(std::string(1024 * 1024, 'x'));  // 1 MiB, no newline
  EXPECT_TRUE(pool.wait_closed());
  ASSERT_TRUE(pool.accept()) << "and reconnected";
  pool.handshake();
  pool.notify("mining.notify", notify_params("fresh"));
  ASSERT_TRUE(log.wait_jobs(2));
  client.stop();
}

TEST(PoolClient, ALateReplyTimesTheShareOut) {
  ScriptedServer pool;
  ClientEvents log;
  auto options = fast_options({pool.url()});
  options.request_timeout = 150ms;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(pool.accept());
  pool.handshake();
  pool.notify("mining.notify", notify_params("j1"));
  ASSERT_TRUE(log.wait_jobs(1));
  client.submit(share_for(log.jobs()[0], 5));
  auto submit = pool.expect("mining.submit");
  ASSERT_TRUE(log.wait_results(1, 1s));
  EXPECT_EQ(log.results()[0].outcome, SubmitOutcome::timed_out);
  pool.reply(submit["id"], true);  // too late: logged, not counted twice
  pool.notify("mining.notify", notify_params("j2", false));
  ASSERT_TRUE(log.wait_jobs(2));
  EXPECT_EQ(log.results().size(), 1u);
  client.stop();
}

TEST(PoolClient, WorksOverIpv6) {
  ScriptedServer pool(ScriptedServer::Options{true, std::nullopt});
  ClientEvents log;
  PoolClient client(fast_options({pool.url()}), log.events());
  client.start();
  ASSERT_TRUE(pool.accept()) << pool.last_error();
  pool.handshake();
  pool.notify("mining.notify", notify_params("j6"));
  ASSERT_TRUE(log.wait_jobs(1));
  client.stop();
}

}  // namespace
