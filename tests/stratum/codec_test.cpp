// The JSON-RPC codec: every method decoded and encoded, strict validation, the line limit.
#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "ih/stratum/protocol/messages.hpp"

namespace {

using namespace ih::stratum;
using nlohmann::json;

std::optional<Method> only(std::uint64_t id, Method m, std::uint64_t asked) {
  return asked == id ? std::optional<Method>(m) : std::nullopt;
}

ih::Result<Incoming> decode(const json& j, MethodOfId method_of = {}) {
  return decode_line(j.dump(), method_of);
}

json notify(json branch = json::array()) {
  return {{"id", nullptr},
          {"method", "mining.notify"},
          {"params",
           {"j1", std::string(64, 'a'), "0100", "ff", branch, "20000000", "207fffff", "6b0c221d",
            true}}};
}

TEST(Codec, DecodesNotify) {
  auto m = decode(notify(json::array({std::string(64, 'b')})));
  ASSERT_TRUE(m.ok()) << m.error().message;
  const auto& n = std::get<NotifyMsg>(*m);
  EXPECT_EQ(n.fields.job_id, "j1");
  EXPECT_EQ(n.fields.merkle_branch.size(), 1u);
  EXPECT_EQ(n.fields.version, 0x20000000u);
  EXPECT_TRUE(n.fields.clean_jobs);
}

TEST(Codec, DecodesServerRequests) {
  auto d = decode({{"id", nullptr}, {"method", "mining.set_difficulty"}, {"params", {2.5}}});
  ASSERT_TRUE(d.ok());
  EXPECT_DOUBLE_EQ(std::get<SetDifficultyMsg>(*d).difficulty, 2.5);
  auto e = decode({{"id", nullptr}, {"method", "mining.set_extranonce"}, {"params", {"0a0b", 4}}});
  ASSERT_TRUE(e.ok());
  EXPECT_EQ(std::get<SetExtranonceMsg>(*e).extranonce2_size, 4u);
  auto v =
      decode({{"id", nullptr}, {"method", "mining.set_version_mask"}, {"params", {"1fffe000"}}});
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(std::get<SetVersionMaskMsg>(*v).mask, 0x1fffe000u);
  auto r = decode({{"id", nullptr}, {"method", "client.reconnect"}, {"params", {"h", "3333", 10}}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(std::get<ReconnectMsg>(*r).port, 3333);
  auto r0 = decode({{"id", nullptr}, {"method", "client.reconnect"}, {"params", json::array()}});
  ASSERT_TRUE(r0.ok());
  EXPECT_TRUE(std::get<ReconnectMsg>(*r0).host.empty());
  auto s = decode({{"id", nullptr}, {"method", "client.show_message"}, {"params", {"hi"}}});
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(std::get<ShowMessageMsg>(*s).text, "hi");
  auto g = decode({{"id", 9}, {"method", "client.get_version"}, {"params", json::array()}});
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(std::get<GetVersionMsg>(*g).id_json, "9");
  auto p = decode({{"id", "x"}, {"method", "mining.ping"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(std::get<PingMsg>(*p).id_json, "\"x\"");
  auto u = decode({{"id", 3}, {"method", "mining.nope"}, {"params", json::array()}});
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(std::get<UnknownMethodMsg>(*u).method, "mining.nope");
}

TEST(Codec, DecodesRepliesByTheMethodOfTheirId) {
  auto sub =
      decode({{"id", 2},
              {"result",
               json::array({json::array({json::array({"mining.notify", "s1"})}), "0a0b0c0d", 8})},
              {"error", nullptr}},
             [](std::uint64_t id) { return only(id, Method::subscribe, 2); });
  ASSERT_TRUE(sub.ok()) << sub.error().message;
  EXPECT_EQ(std::get<SubscribeReply>(*sub).session_id, "s1");
  EXPECT_EQ(std::get<SubscribeReply>(*sub).extranonce2_size, 8u);
  auto cfg = decode(
      {{"id", "1"}, {"result", {{"version-rolling", true}, {"version-rolling.mask", "1fffe000"}}}},
      [](std::uint64_t id) { return only(id, Method::configure, 1); });
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(std::get<ConfigureReply>(*cfg).mask, 0x1fffe000u);
  auto ok = decode({{"id", 5}, {"result", true}, {"error", nullptr}},
                   [](std::uint64_t id) { return only(id, Method::submit, 5); });
  ASSERT_TRUE(ok.ok());
  EXPECT_TRUE(std::get<BoolReply>(*ok).accepted);
  auto unknown = decode({{"id", 6}, {"result", true}, {"error", nullptr}},
                        [](std::uint64_t id) { return only(id, Method::submit, 5); });
  EXPECT_FALSE(unknown.ok());
  auto subscribe_error =
      decode({{"id", 2}, {"result", nullptr}, {"error", {25, "Not subscribed", nullptr}}},
             [](std::uint64_t id) { return only(id, Method::subscribe, 2); });
  ASSERT_TRUE(subscribe_error.ok());
  EXPECT_EQ(std::get<ErrorReply>(*subscribe_error).reason, "code 25: Not subscribed");
}

TEST(Codec, EncodesEveryRequest) {
  EXPECT_EQ(encode_subscribe(1, "ua/1", ""),
            R"({"id":1,"method":"mining.subscribe","params":["ua/1"]})"
            "\n");
  EXPECT_EQ(encode_subscribe(1, "ua/1", "ab"),
            R"({"id":1,"method":"mining.subscribe","params":["ua/1","ab"]})"
            "\n");
  EXPECT_EQ(encode_authorize(2, "w", "p"),
            R"({"id":2,"method":"mining.authorize","params":["w","p"]})"
            "\n");
  EXPECT_EQ(encode_configure(3, 0x1fffe000),
            R"({"id":3,"method":"mining.configure","params":[["version-rolling"],)"
            R"({"version-rolling.mask":"1fffe000","version-rolling.min-bit-count":2}]})"
            "\n");
  EXPECT_EQ(encode_extranonce_subscribe(4),
            R"({"id":4,"method":"mining.extranonce.subscribe","params":[]})"
            "\n");
  EXPECT_EQ(encode_suggest_difficulty(5, 1024),
            R"({"id":5,"method":"mining.suggest_difficulty","params":[1024.0]})"
            "\n");
  SubmitParams s{"w", "j", {0, 1}, 0x6b0c221d, 0x0045e964, 0x2000};
  EXPECT_EQ(
      encode_submit(6, s),
      R"({"id":6,"method":"mining.submit","params":["w","j","0001","6b0c221d","0045e964","00002000"]})"
      "\n");
  EXPECT_EQ(encode_string_result("\"q\"", "pong"), R"({"error":null,"id":"q","result":"pong"})"
                                                   "\n");
  EXPECT_EQ(encode_error_result("7", 20, "no"), R"({"error":[20,"no",null],"id":7,"result":null})"
                                                "\n");
}

TEST(Codec, DescribesEveryErrorShape) {
  EXPECT_EQ(describe_error("null"), "no reason given");
  EXPECT_EQ(describe_error(R"("bad")"), "bad");
  EXPECT_EQ(describe_error(R"([21,"Job not found",null])"), "code 21: Job not found");
  EXPECT_EQ(describe_error(R"({"code":23,"message":"Low difficulty"})"), "code 23: Low difficulty");
}

TEST(Codec, RejectsBadValuesWithAReason) {
  for (const json& bad : {json{{"method", "mining.set_difficulty"}, {"params", {0}}},
                          json{{"method", "mining.set_difficulty"}, {"params", {-1}}},
                          json{{"method", "mining.set_difficulty"}, {"params", {"1"}}},
                          json{{"method", "mining.set_extranonce"}, {"params", {"0a", 0}}},
                          json{{"method", "mining.set_extranonce"}, {"params", {"0a", 17}}},
                          json{{"method", "mining.set_extranonce"}, {"params", {"0g", 4}}},
                          json{{"method", "mining.set_version_mask"}, {"params", {"1fffe0"}}},
                          json{{"method", "client.reconnect"}, {"params", {"h", 70000}}},
                          json{{"method", "mining.notify"}, {"params", "x"}}}) {
    auto r = decode(bad);
    EXPECT_FALSE(r.ok()) << bad.dump();
    if (!r.ok()) {
      EXPECT_FALSE(r.error().message.empty());
    }
  }
  EXPECT_FALSE(decode_line("{\"method\":\"mining.set_difficulty\",\"params\":[NaN]}", {}).ok());
  EXPECT_FALSE(decode_line("[1,2]", {}).ok());
  EXPECT_FALSE(decode_line("{", {}).ok());
}

TEST(Codec, NotifyBranchLimits) {
  json b32 = json::array();
  for (int i = 0; i < 32; ++i) b32.push_back(std::string(64, 'c'));
  EXPECT_TRUE(decode(notify(b32)).ok());
  b32.push_back(std::string(64, 'c'));
  EXPECT_FALSE(decode(notify(b32)).ok());
  EXPECT_FALSE(decode(notify(json::array({std::string(62, 'c')}))).ok());
  EXPECT_FALSE(decode(notify(json::array({1}))).ok());
}

TEST(LineBuffer, SplitsLinesAndEnforcesTheLimit) {
  LineBuffer lines(16);
  ASSERT_TRUE(lines.append("ab\r\ncd\nef").ok());
  EXPECT_EQ(lines.next_line(), "ab");
  EXPECT_EQ(lines.next_line(), "cd");
  EXPECT_EQ(lines.next_line(), std::nullopt);
  ASSERT_TRUE(lines.append("g\n").ok());
  EXPECT_EQ(lines.next_line(), "efg");
  EXPECT_FALSE(lines.append(std::string(17, 'x')).ok());
  EXPECT_EQ(lines.next_line(), std::nullopt);
}

}  // namespace
