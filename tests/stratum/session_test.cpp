// The pure session: each method in both directions, driven with scripted lines and a fake clock.
#include <gtest/gtest.h>

#include "ih/stratum/protocol/target.hpp"
#include "session_driver.hpp"
#include "test_data.hpp"

namespace {

using namespace ih::stratum;
using ih::test::SessionDriver;
using nlohmann::json;
using namespace std::chrono_literals;

json notify_params(const std::string& job_id, bool clean,
                   const std::string& prevhash = std::string(64, '1')) {
  return json::array({job_id, prevhash, "01000000", "ffffffff", json::array(), "20000000",
                      "207fffff", "6b0c221d", clean});
}

Share share_for(const Job& job, std::uint32_t nonce = 1) {
  Share s;
  s.job_id = job.fields.job_id;
  s.extranonce2 = Bytes(job.extranonce2_size, 0);
  s.ntime = job.fields.ntime;
  s.nonce = nonce;
  s.epoch = job.epoch;
  return s;
}

TEST(Session, ReplaysCkpoolRegtestBlockToTheExactSubmitLine) {
  const json v = json::parse(ih::test::read_test_data("ckpool-regtest-block.json"));
  SessionDriver d;
  d.connect();
  auto configure = d.expect_request("mining.configure");
  EXPECT_EQ(configure["params"][1]["version-rolling.mask"], "1fffe000");
  auto subscribe = d.expect_request("mining.subscribe");
  EXPECT_EQ(subscribe["params"], json::array({"infinite-hashes/0.1"}));
  d.reply(configure["id"], v["configure_result"]);
  d.reply(subscribe["id"], v["subscribe_result"]);
  auto authorize = d.expect_request("mining.authorize");
  EXPECT_EQ(authorize["params"][0], "refminer.worker1");
  d.reply(authorize["id"], true);
  EXPECT_EQ(d.ready, 1);
  d.notify("mining.set_difficulty", json::array({v["set_difficulty"]}));
  d.notify("mining.notify", v["notify_params"]);
  ASSERT_EQ(d.jobs.size(), 1u);
  const Job& job = d.jobs[0];
  EXPECT_EQ(to_hex(job.extranonce1), "9d210c6b");
  EXPECT_EQ(job.extranonce2_size, 8u);
  EXPECT_EQ(job.version_mask, 0x1fffe000u);
  EXPECT_DOUBLE_EQ(job.difficulty, 0.001);
  EXPECT_EQ(job.share_target, *difficulty_to_target(0.001));

  const json& expected = v["submit_params"];
  Share share;
  share.job_id = job.fields.job_id;
  share.extranonce2 = *from_hex(expected[2].get<std::string>());
  share.ntime = *u32_from_be_hex(expected[3].get<std::string>());
  share.nonce = *u32_from_be_hex(expected[4].get<std::string>());
  share.version_bits = *u32_from_be_hex(expected[5].get<std::string>());
  share.epoch = job.epoch;
  d.submit(7, share);
  auto submit = d.expect_request("mining.submit");
  EXPECT_EQ(submit["params"], expected);
  d.reply(submit["id"], true);
  ASSERT_EQ(d.results.size(), 1u);
  EXPECT_EQ(d.results[0].share_id, 7u);
  EXPECT_EQ(d.results[0].outcome, SubmitOutcome::accepted);
}

TEST(Session, DifficultyAppliesToTheNextJobAndToAFirstJobThatCameBeforeIt) {
  SessionDriver d;
  d.connect();
  d.handshake();
  d.notify("mining.notify", notify_params("a", true));
  ASSERT_EQ(d.jobs.size(), 1u);
  EXPECT_DOUBLE_EQ(d.jobs[0].difficulty, 1);
  d.notify("mining.set_difficulty", json::array({16}));  // notify came first: re-issued
  ASSERT_EQ(d.jobs.size(), 2u);
  EXPECT_DOUBLE_EQ(d.jobs[1].difficulty, 16);
  EXPECT_EQ(d.jobs[1].epoch, d.jobs[0].epoch);
  d.notify("mining.set_difficulty", json::array({32}));  // later changes wait for a job
  EXPECT_EQ(d.jobs.size(), 2u);
  d.notify("mining.notify", notify_params("b", false));
  ASSERT_EQ(d.jobs.size(), 3u);
  EXPECT_DOUBLE_EQ(d.jobs[2].difficulty, 32);
  EXPECT_EQ(d.jobs[2].share_target, *difficulty_to_target(32));
}

TEST(Session, CleanJobsAndNewPrevhashRetireOlderSharesAsStale) {
  SessionDriver d;
  d.connect();
  d.handshake();
  d.notify("mining.notify", notify_params("a", true));
  d.notify("mining.notify", notify_params("b", false));
  ASSERT_EQ(d.jobs.size(), 2u);
  EXPECT_EQ(d.jobs[0].epoch, d.jobs[1].epoch);  // not clean: "a" stays valid
  d.submit(1, share_for(d.jobs[0]));
  d.expect_request("mining.submit");
  d.notify("mining.notify", notify_params("c", false, std::string(64, '2')));  // new block
  ASSERT_EQ(d.jobs.size(), 3u);
  EXPECT_GT(d.jobs[2].epoch, d.jobs[1].epoch);
  d.submit(2, share_for(d.jobs[1]));
  ASSERT_EQ(d.results.size(), 1u);
  EXPECT_EQ(d.results[0].share_id, 2u);
  EXPECT_EQ(d.results[0].outcome, SubmitOutcome::stale);
  EXPECT_TRUE(d.writes.empty()) << "a stale share must not be sent";
  d.notify("mining.notify", notify_params("d", true, std::string(64, '2')));
  EXPECT_GT(d.jobs[3].epoch, d.jobs[2].epoch);
  Share unknown = share_for(d.jobs[3]);
  unknown.job_id = "zz";
  d.submit(3, unknown);
  EXPECT_EQ(d.results.back().outcome, SubmitOutcome::stale);
}

TEST(Session, SubmitRejectionsCarryThePoolsReason) {
  SessionDriver d;
  d.connect();
  d.handshake();
  d.notify("mining.notify", notify_params("a", true));
  const Job job = d.jobs.back();
  d.submit(1, share_for(job, 1));
  d.submit(2, share_for(job, 2));
  d.submit(3, share_for(job, 3));
  d.submit(4, share_for(job, 4));
  auto s1 = d.expect_request("mining.submit");
  auto s2 = d.expect_request("mining.submit");
  auto s3 = d.expect_request("mining.submit");
  auto s4 = d.expect_request("mining.submit");
  EXPECT_EQ(d.session.pending_submits(), 4u);
  d.feed({{"id", s1["id"]}, {"result", nullptr}, {"error", {23, "Low difficulty share", nullptr}}});
  d.feed({{"id", s2["id"]}, {"result", false}, {"error", nullptr}, {"reject-reason", "Stale"}});
  d.feed(
      {{"id", s3["id"]}, {"result", false}, {"error", {{"code", 22}, {"message", "Duplicate"}}}});
  d.feed({{"id", s4["id"]}, {"result", nullptr}, {"error", "Job not found"}});
  ASSERT_EQ(d.results.size(), 4u);
  EXPECT_EQ(d.results[0].reason, "code 23: Low difficulty share");
  EXPECT_EQ(d.results[1].reason, "Stale");
  EXPECT_EQ(d.results[2].reason, "code 22: Duplicate");
  EXPECT_EQ(d.results[3].reason, "Job not found");
  for (const auto& r : d.results) EXPECT_EQ(r.outcome, SubmitOutcome::rejected);
  EXPECT_EQ(d.session.pending_submits(), 0u);
}

TEST(Session, SubmitTimesOutAndConnectionLossTimesOutTheRest) {
  SessionOptions o;
  o.request_timeout = 200ms;
  SessionDriver d(o);
  d.connect();
  d.handshake();
  d.notify("mining.notify", notify_params("a", true));
  d.submit(1, share_for(d.jobs.back(), 1));
  d.advance(150ms);
  d.submit(2, share_for(d.jobs.back(), 2));
  d.advance(100ms);
  ASSERT_EQ(d.results.size(), 1u);
  EXPECT_EQ(d.results[0].share_id, 1u);
  EXPECT_EQ(d.results[0].outcome, SubmitOutcome::timed_out);
  d.disconnected("gone");
  ASSERT_EQ(d.results.size(), 2u);
  EXPECT_EQ(d.results[1].share_id, 2u);
  EXPECT_EQ(d.results[1].outcome, SubmitOutcome::timed_out);
}

TEST(Session, KeepaliveTimeoutAsksToReconnect) {
  SessionOptions o;
  o.keepalive = 500ms;
  SessionDriver d(o);
  d.connect();
  d.handshake();
  d.advance(400ms);
  d.notify("mining.ping", json::array());
  d.advance(400ms);
  EXPECT_TRUE(d.disconnects.empty());
  d.advance(200ms);
  ASSERT_EQ(d.disconnects.size(), 1u);
  EXPECT_NE(d.disconnects[0].reason.find("no message"), std::string::npos);
}

TEST(Session, ResumesTheSessionIdOnReconnectToTheSamePool) {
  SessionDriver d;
  d.connect(0);
  d.handshake("abcd0001", 4);
  d.notify("mining.notify", notify_params("a", true));
  const auto old_epoch = d.jobs.back().epoch;
  d.disconnected();
  d.writes.clear();
  d.connect(0);
  d.expect_request("mining.configure");
  auto s = d.expect_request("mining.subscribe");
  EXPECT_EQ(s["params"], json::array({"infinite-hashes/0.1", "abcd0001"}));
  d.reply(s["id"],
          json::array({json::array({json::array({"mining.notify", "sess42"})}), "abcd0001", 4}));
  d.notify("mining.notify", notify_params("b", false));
  EXPECT_GT(d.jobs.back().epoch, old_epoch) << "a reconnect retires older work";
  d.disconnected();
  d.writes.clear();
  d.connect(0);
  d.expect_request("mining.configure");
  EXPECT_EQ(d.expect_request("mining.subscribe")["params"][1], "sess42");
  d.disconnected();
  d.writes.clear();
  d.connect(1);  // another pool: a fresh session
  d.expect_request("mining.configure");
  EXPECT_EQ(d.expect_request("mining.subscribe")["params"].size(), 1u);
}

TEST(Session, ToleratesPoolsThatDoNotKnowConfigure) {
  SessionDriver d;
  d.connect();
  auto c = d.expect_request("mining.configure");
  auto s = d.expect_request("mining.subscribe");
  d.feed({{"id", c["id"]},
          {"result", nullptr},
          {"error", {20, "Method 'configure' not found", nullptr}}});
  d.reply(s["id"], json::array({nullptr, "01020304", 4}));
  d.reply(d.expect_request("mining.authorize")["id"], true);
  d.notify("mining.notify", notify_params("a", true));
  ASSERT_EQ(d.jobs.size(), 1u);
  EXPECT_EQ(d.jobs[0].version_mask, 0u);
  Share share = share_for(d.jobs[0]);
  share.version_bits = 0x2000;
  d.submit(1, share);
  EXPECT_EQ(d.expect_request("mining.submit")["params"].size(), 5u) << "no 6th param";
}

TEST(Session, UsesOnlyTheMaskBitsBothSidesAllow) {
  SessionDriver d;
  d.connect();
  d.handshake("01020304", 4, "ffffffff");  // the pool answers with its own, wider mask
  d.notify("mining.notify", notify_params("a", true));
  EXPECT_EQ(d.jobs[0].version_mask, 0x1fffe000u);
  d.notify("mining.set_version_mask", json::array({"00ffe000"}));
  ASSERT_EQ(d.jobs.size(), 2u);
  EXPECT_EQ(d.jobs[1].version_mask, 0x00ffe000u);
  EXPECT_GT(d.jobs[1].epoch, d.jobs[0].epoch);
  Share share = share_for(d.jobs[1]);
  share.version_bits = 0x1fffe000;
  d.submit(1, share);
  EXPECT_EQ(d.expect_request("mining.submit")["params"][5], "00ffe000");
}

TEST(Session, ExtranonceSubscribeAndSetExtranonceApplyToTheNextJob) {
  SessionOptions o;
  o.extranonce_subscribe = true;
  o.suggest_difficulty = 512;
  SessionDriver d(o);
  d.connect();
  auto c = d.expect_request("mining.configure");
  auto s = d.expect_request("mining.subscribe");
  d.reply(c["id"], {{"version-rolling", true}, {"version-rolling.mask", "1fffe000"}});
  d.reply(s["id"], json::array({nullptr, "01020304", 4}));
  EXPECT_EQ(d.expect_request("mining.suggest_difficulty")["params"][0], 512.0);
  d.reply(d.expect_request("mining.authorize")["id"], true);
  d.expect_request("mining.extranonce.subscribe");  // never answered: nothing waits on it
  d.notify("mining.notify", notify_params("a", true));
  d.notify("mining.set_extranonce", json::array({"aabbccdd", 6}));
  d.notify("mining.notify", notify_params("b", false));
  ASSERT_EQ(d.jobs.size(), 2u);
  EXPECT_EQ(to_hex(d.jobs[1].extranonce1), "aabbccdd");
  EXPECT_EQ(d.jobs[1].extranonce2_size, 6u);
  EXPECT_GT(d.jobs[1].epoch, d.jobs[0].epoch);
}

// cgminer's order: a pool that fixes the worker's difficulty at authorize sees the suggestion.
TEST(Session, SuggestsDifficultyBeforeAuthorizeOnEveryConnectWithThePoolsOwnValue) {
  SessionOptions o;
  o.suggest_difficulty = 512;  // the default for pools without their own
  SessionDriver d(o);
  for (const double own : {0.0, 64.0, 0.0}) {
    d.endpoint.suggest_difficulty = own;
    d.connect();
    d.expect_request("mining.configure");
    auto s = d.expect_request("mining.subscribe");
    d.reply(s["id"], json::array({nullptr, "01020304", 4}));
    EXPECT_EQ(d.expect_request("mining.suggest_difficulty")["params"][0], own > 0 ? own : 512.0);
    d.expect_request("mining.authorize");
    d.disconnected();
  }
  SessionDriver none;  // no suggestion anywhere: authorize follows subscribe directly
  none.connect();
  none.expect_request("mining.configure");
  auto s = none.expect_request("mining.subscribe");
  none.reply(s["id"], json::array({nullptr, "01020304", 4}));
  none.expect_request("mining.authorize");
}

TEST(Session, AnswersGetVersionPingAndUnknownRequests) {
  SessionDriver d;
  d.connect();
  d.handshake();
  d.feed({{"id", 77}, {"method", "client.get_version"}, {"params", json::array()}});
  auto v = d.expect_write();
  EXPECT_EQ(v["id"], 77);
  EXPECT_EQ(v["result"], "infinite-hashes/0.1");
  d.feed({{"id", "p1"}, {"method", "mining.ping"}, {"params", json::array()}});
  auto p = d.expect_write();
  EXPECT_EQ(p["id"], "p1");
  EXPECT_EQ(p["result"], "pong");
  d.feed({{"id", 5}, {"method", "mining.frobnicate"}, {"params", json::array()}});
  auto e = d.expect_write();
  EXPECT_EQ(e["id"], 5);
  EXPECT_TRUE(e["result"].is_null());
  EXPECT_FALSE(e["error"].is_null());
  d.notify("client.show_message", json::array({"maintenance at noon"}));
  ASSERT_EQ(d.messages.size(), 1u);
  EXPECT_EQ(d.messages[0], "maintenance at noon");
}

TEST(Session, ClientReconnectIsPassedOnWithItsTarget) {
  SessionDriver d;
  d.connect();
  d.handshake();
  d.notify("client.reconnect", json::array({"pool.example", 3334, 5}));
  ASSERT_EQ(d.disconnects.size(), 1u);
  ASSERT_TRUE(d.disconnects[0].redirect);
  EXPECT_EQ(d.disconnects[0].redirect->host, "pool.example");
  EXPECT_EQ(d.disconnects[0].redirect->port, 3334);
  EXPECT_EQ(d.disconnects[0].redirect->wait, 5s);
}

TEST(Session, SeveralWorkersAreAuthorizedAndAFailedMainWorkerDisconnects) {
  SessionDriver d;
  d.endpoint.extra_users = {"refminer.worker2"};
  d.connect();
  auto c = d.expect_request("mining.configure");
  auto s = d.expect_request("mining.subscribe");
  d.reply(s["id"], json::array({nullptr, "01020304", 4}));
  auto a1 = d.expect_request("mining.authorize");
  auto a2 = d.expect_request("mining.authorize");
  EXPECT_EQ(a2["params"][0], "refminer.worker2");
  d.reply(a2["id"], true);
  EXPECT_EQ(d.ready, 0);
  d.feed({{"id", a1["id"]}, {"result", false}, {"error", {24, "Unauthorized worker", nullptr}}});
  ASSERT_EQ(d.disconnects.size(), 1u);
  EXPECT_NE(d.disconnects[0].reason.find("Unauthorized"), std::string::npos);
  (void)c;
}

TEST(Session, ShareOfAnotherWorkerIsSubmittedUnderItsName) {
  SessionDriver d;
  d.connect();
  d.handshake();
  d.notify("mining.notify", notify_params("a", true));
  Share share = share_for(d.jobs[0]);
  share.worker = "refminer.worker9";
  d.submit(1, share);
  EXPECT_EQ(d.expect_request("mining.submit")["params"][0], "refminer.worker9");
}

}  // namespace
