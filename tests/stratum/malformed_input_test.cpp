// The malformed-input matrix: every bad line is reported and the session carries on (or asks
// to reconnect when the stream cannot be trusted any more); nothing crashes or throws.
#include <gtest/gtest.h>

#include "session_driver.hpp"

namespace {

using namespace ih::stratum;
using ih::test::SessionDriver;
using nlohmann::json;
using namespace std::chrono_literals;

json notify_params(const std::string& job_id, json branch = json::array()) {
  return json::array({job_id, std::string(64, '1'), "01000000", "ffffffff", std::move(branch),
                      "20000000", "207fffff", "6b0c221d", false});
}

// A subscribed session with one job at difficulty 8.
SessionDriver& ready(SessionDriver& d) {
  d.connect();
  d.handshake();
  d.notify("mining.set_difficulty", json::array({8}));
  d.notify("mining.notify", notify_params("ok0"));
  EXPECT_EQ(d.jobs.size(), 1u);
  d.warnings.clear();
  return d;
}

// After the bad input: one warning, no disconnect, and the next notify still makes a job.
void expect_survived(SessionDriver& d, const std::string& what) {
  EXPECT_EQ(d.warnings.size(), 1u) << what;
  EXPECT_TRUE(d.disconnects.empty()) << what;
  const auto jobs_before = d.jobs.size();
  d.notify("mining.notify", notify_params("next"));
  EXPECT_EQ(d.jobs.size(), jobs_before + 1) << what;
  EXPECT_DOUBLE_EQ(d.jobs.back().difficulty, 8) << what << ": difficulty must be unchanged";
}

struct BadLine {
  const char* what;
  std::string line;
};

TEST(MalformedInput, EachBadLineIsReportedAndTheSessionSurvives) {
  std::string branch33 = "[";
  for (int i = 0; i < 33; ++i)
    branch33 += std::string(i ? "," : "") + "\"" + std::string(64, 'c') + "\"";
  branch33 += "]";
  const std::string prev(64, '1');
  const std::vector<BadLine> matrix = {
      {"invalid JSON", R"({"id":1,"method":)"},
      {"not an object", R"([1,2,3])"},
      {"binary garbage", std::string("\x01\xff\xfe{{", 5)},
      {"wrong type: difficulty as string",
       R"({"id":null,"method":"mining.set_difficulty","params":["8"]})"},
      {"wrong type: params not an array",
       R"({"id":null,"method":"mining.notify","params":{"a":1}})"},
      {"wrong type: clean_jobs as string",
       R"({"id":null,"method":"mining.notify","params":["j",")" + prev +
           R"(","01","ff",[],"20000000","207fffff","6b0c221d","yes"]})"},
      {"bad hex in coinb1", R"({"id":null,"method":"mining.notify","params":["j",")" + prev +
                                R"(","0g","ff",[],"20000000","207fffff","6b0c221d",true]})"},
      {"odd hex length", R"({"id":null,"method":"mining.notify","params":["j",")" + prev +
                             R"(","012","ff",[],"20000000","207fffff","6b0c221d",true]})"},
      {"short prevhash",
       R"({"id":null,"method":"mining.notify","params":["j","abcd","01","ff",[],"20000000","207fffff","6b0c221d",true]})"},
      {"short nbits", R"({"id":null,"method":"mining.notify","params":["j",")" + prev +
                          R"(","01","ff",[],"20000000","7fffff","6b0c221d",true]})"},
      {"33 merkle branches", R"({"id":null,"method":"mining.notify","params":["j",")" + prev +
                                 R"(","01","ff",)" + branch33 +
                                 R"(,"20000000","207fffff","6b0c221d",true]})"},
      {"unknown method", R"({"id":null,"method":"mining.teleport","params":[]})"},
      {"reply without id", R"({"result":true,"error":null})"},
      {"reply with null id", R"({"id":null,"result":true,"error":null})"},
      {"result for an unknown id", R"({"id":4242,"result":true,"error":null})"},
      {"difficulty 0", R"({"id":null,"method":"mining.set_difficulty","params":[0]})"},
      {"difficulty negative", R"({"id":null,"method":"mining.set_difficulty","params":[-5]})"},
      {"difficulty NaN", R"({"id":null,"method":"mining.set_difficulty","params":[NaN]})"},
      {"difficulty 1e300", R"({"id":null,"method":"mining.set_difficulty","params":[1e300]})"},
      {"difficulty missing", R"({"id":null,"method":"mining.set_difficulty","params":[]})"},
      {"extranonce2 size 0", R"({"id":null,"method":"mining.set_extranonce","params":["0a0b",0]})"},
      {"extranonce2 size 17",
       R"({"id":null,"method":"mining.set_extranonce","params":["0a0b",17]})"},
      {"bad version mask", R"({"id":null,"method":"mining.set_version_mask","params":["xyz"]})"},
      {"reconnect with a bad port", R"({"id":null,"method":"client.reconnect","params":["h",-1]})"},
      {"show_message without text", R"({"id":null,"method":"client.show_message","params":[]})"},
  };
  for (const auto& bad : matrix) {
    SessionDriver d;
    ready(d);
    d.feed_raw(bad.line + "\n");
    expect_survived(d, bad.what);
  }
}

TEST(MalformedInput, EmptyAndFullMerkleBranchesAreValid) {
  SessionDriver d;
  ready(d);
  json branch32 = json::array();
  for (int i = 0; i < 32; ++i) branch32.push_back(std::string(64, 'd'));
  d.notify("mining.notify", notify_params("b32", branch32));
  ASSERT_EQ(d.jobs.size(), 2u);
  EXPECT_EQ(d.jobs[1].fields.merkle_branch.size(), 32u);
  d.notify("mining.notify", notify_params("b0", json::array()));
  ASSERT_EQ(d.jobs.size(), 3u);
  EXPECT_TRUE(d.jobs[2].fields.merkle_branch.empty());
  EXPECT_TRUE(d.warnings.empty());
}

TEST(MalformedInput, AMegabyteWithoutNewlineDisconnects) {
  SessionDriver d;
  ready(d);
  const std::string chunk(64 * 1024, 'x');
  for (int i = 0; i < 16 && d.disconnects.empty(); ++i) d.feed_raw(chunk);
  ASSERT_EQ(d.disconnects.size(), 1u);
  EXPECT_EQ(d.disconnects[0].reason, "line too long");
  d.feed_raw(chunk);  // ignored once closing
  EXPECT_EQ(d.disconnects.size(), 1u);
}

TEST(MalformedInput, BadSubscribeRepliesEndTheConnectionAtOnce) {
  for (const json& result :
       {json::array({nullptr, "0a0b0c0d", 0}), json::array({nullptr, "0a0b0c0d", 17}),
        json::array({nullptr, "0a0b0c0", 4}), json::array({nullptr}), json("nonsense")}) {
    SessionDriver d;
    d.connect();
    d.expect_request("mining.configure");
    auto s = d.expect_request("mining.subscribe");
    d.reply(s["id"], result);
    ASSERT_EQ(d.disconnects.size(), 1u) << result.dump();
    EXPECT_NE(d.disconnects[0].reason.find("mining.subscribe failed"), std::string::npos);
    EXPECT_TRUE(d.jobs.empty());
  }
}

TEST(MalformedInput, ABadConfigureReplyOnlyTurnsRollingOff) {
  SessionDriver d;
  d.connect();
  auto c = d.expect_request("mining.configure");
  auto s = d.expect_request("mining.subscribe");
  d.reply(c["id"], {{"version-rolling", true}, {"version-rolling.mask", 12}});
  d.reply(s["id"], json::array({nullptr, "0a0b0c0d", 4}));
  d.reply(d.expect_request("mining.authorize")["id"], true);
  d.notify("mining.notify", notify_params("a"));
  ASSERT_EQ(d.jobs.size(), 1u);
  EXPECT_EQ(d.jobs[0].version_mask, 0u);
  EXPECT_EQ(d.warnings.size(), 1u);
}

TEST(MalformedInput, SilenceAfterConnectTimesOutTheSubscribe) {
  SessionOptions o;
  o.request_timeout = 100ms;
  SessionDriver d(o);
  d.connect();
  d.advance(150ms);
  ASSERT_EQ(d.disconnects.size(), 1u);
  EXPECT_NE(d.disconnects[0].reason.find("mining.subscribe"), std::string::npos);
}

}  // namespace
