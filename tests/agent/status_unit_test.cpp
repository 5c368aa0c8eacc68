// The status endpoint's pure parts: access rules, config safety rules, health reasons, the
// cgminer reply forms.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "config/api_config.hpp"
#include "status/address_policy.hpp"
#include "status/cgminer_reply.hpp"
#include "status/health.hpp"
#include "status/status_server.hpp"

namespace {

using namespace ih::agent;
using namespace ih::agent::status;

TEST(StatusAddressPolicy, LoopbackHostsAreKnownAndEverythingElseIsNot) {
  for (const char* host : {"127.0.0.1", "127.8.9.10", "::1", "localhost", "::ffff:127.0.0.1"})
    EXPECT_TRUE(is_loopback_host(host)) << host;
  for (const char* host : {"0.0.0.0", "::", "10.0.0.1", "192.168.1.2", "example.com", "fe80::1"})
    EXPECT_FALSE(is_loopback_host(host)) << host;
}

TEST(StatusAddressPolicy, CidrsMatchTheirAddressesOnly) {
  auto v4 = parse_cidr("10.1.0.0/16");
  ASSERT_TRUE(v4) << v4.error().message;
  auto v6 = parse_cidr("fd00::/8");
  ASSERT_TRUE(v6) << v6.error().message;
  auto host = parse_cidr("192.168.1.7");
  ASSERT_TRUE(host);
  const std::vector<Cidr> allow = {*v4, *v6, *host};
  EXPECT_TRUE(address_allowed("10.1.200.3", allow));
  EXPECT_FALSE(address_allowed("10.2.0.1", allow));
  EXPECT_TRUE(address_allowed("fd12::5", allow));
  EXPECT_TRUE(address_allowed("192.168.1.7", allow));
  EXPECT_FALSE(address_allowed("192.168.1.8", allow));
  EXPECT_FALSE(address_allowed("not-an-address", allow));
  for (const char* bad : {"10.0.0.0/33", "fd00::/129", "10.0.0/8", "host/8", "10.0.0.0/x", ""})
    EXPECT_FALSE(parse_cidr(bad)) << bad;
}

TEST(StatusTokens, CompareWholeTokensOnly) {
  EXPECT_TRUE(token_matches("s3cret-token", "s3cret-token"));
  EXPECT_FALSE(token_matches("s3cret-toke", "s3cret-token"));
  EXPECT_FALSE(token_matches("s3cret-token!", "s3cret-token"));
  EXPECT_FALSE(token_matches("", "s3cret-token"));
}

TEST(StatusConfig, OffLoopbackNeedsATokenAndWritesNeedOneToo) {
  ApiConfig c;
  EXPECT_TRUE(validate_api_config(c));  // the default: loopback, no token
  c.bind = "0.0.0.0:4048";
  auto refused = validate_api_config(c);
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("--api-token"), std::string::npos);
  c.token = "long-enough-token";
  EXPECT_TRUE(validate_api_config(c));
  c.token = "short";
  EXPECT_FALSE(validate_api_config(c));

  ApiConfig w;
  w.write = true;
  EXPECT_FALSE(validate_api_config(w));
  w.token = "long-enough-token";
  EXPECT_TRUE(validate_api_config(w));

  ApiConfig tls;
  tls.tls_cert = "cert.pem";
  EXPECT_FALSE(validate_api_config(tls));  // the key is missing

  ApiConfig off;
  off.bind = "off";
  off.bind_given = true;
  EXPECT_TRUE(validate_api_config(off));
  off.bind = "nonsense";
  EXPECT_FALSE(validate_api_config(off));
}

TEST(StatusConfig, CgminerApiOffLoopbackNeedsAnAllowList) {
  ApiConfig c;
  c.cgminer_bind = "127.0.0.1:4028";
  EXPECT_TRUE(validate_api_config(c));
  c.cgminer_bind = "0.0.0.0:4028";
  EXPECT_FALSE(validate_api_config(c));
  c.cgminer_allow = {"10.0.0.0/8"};
  EXPECT_TRUE(validate_api_config(c));
  c.cgminer_allow = {"10.0.0.0/99"};
  EXPECT_FALSE(validate_api_config(c));
}

StatusSnapshot healthy() {
  StatusSnapshot s;
  s.version = "0.1.0";
  s.pools.push_back(PoolStatus{});
  s.pools[0].connected = true;
  s.pools[0].active = true;
  s.job.present = true;
  s.job.age_seconds = 5;
  s.devices.push_back(DeviceStatus{});
  s.devices[0].description.name = "cpu0 (portable)";
  s.devices[0].description.kind = "cpu";
  return s;
}

std::vector<std::string> codes(const std::vector<HealthProblem>& problems) {
  std::vector<std::string> out;
  for (const auto& p : problems) out.push_back(p.code);
  return out;
}

TEST(StatusHealth, EachProblemHasItsReasonAndFeaturesAddTheirOwn) {
  HealthPolicy policy(std::chrono::seconds(60));
  EXPECT_TRUE(policy.evaluate(healthy()).empty());

  StatusSnapshot s = healthy();
  s.pools[0].connected = false;
  EXPECT_EQ(codes(policy.evaluate(s)), std::vector<std::string>{"no_pool"});
  s = healthy();
  s.job.age_seconds = 61;
  EXPECT_EQ(codes(policy.evaluate(s)), std::vector<std::string>{"stale_job"});
  s = healthy();
  s.job.present = false;
  EXPECT_EQ(codes(policy.evaluate(s)), std::vector<std::string>{"no_job"});
  s = healthy();
  s.devices[0].description.failed = true;
  EXPECT_EQ(codes(policy.evaluate(s)), std::vector<std::string>{"devices_failed"});
  s = healthy();
  s.paused = true;
  EXPECT_EQ(codes(policy.evaluate(s)), std::vector<std::string>{"paused"});

  policy.add([](const StatusSnapshot&) -> std::optional<HealthProblem> {
    return HealthProblem{"watchdog", "no share in 10 minutes"};
  });
  EXPECT_EQ(codes(policy.evaluate(healthy())), std::vector<std::string>{"watchdog"});
}

std::string strip_nul(const std::string& reply) {
  EXPECT_FALSE(reply.empty());
  EXPECT_EQ(reply.back(), '\0') << "replies end with a NUL";
  EXPECT_EQ(reply.find('\0'), reply.size() - 1) << "one NUL, at the end";
  return reply.substr(0, reply.size() - 1);
}

TEST(CgminerReply, PlainAndJsonFormsCarryAStatusSection) {
  const StatusSnapshot s = healthy();
  for (const char* command : {"summary", "devs", "pools", "version", "config", "stats"}) {
    const std::string plain = strip_nul(cgminer_reply(command, s));
    EXPECT_EQ(plain.rfind("STATUS=S,When=", 0), 0u) << plain;
    EXPECT_EQ(plain.back(), '|') << plain;
    const std::string with_param = strip_nul(cgminer_reply(std::string(command) + "|0\n", s));
    EXPECT_EQ(with_param.rfind("STATUS=S,", 0), 0u) << with_param;

    const std::string text =
        strip_nul(cgminer_reply(std::string(R"({"command":")") + command + R"(","id":7})", s));
    const auto doc = nlohmann::json::parse(text);
    ASSERT_TRUE(doc["STATUS"].is_array());
    EXPECT_EQ(doc["STATUS"][0]["STATUS"], "S");
    EXPECT_TRUE(doc["STATUS"][0]["Code"].is_number_integer());
    EXPECT_EQ(doc["id"], 7);
  }
  const auto summary =
      nlohmann::json::parse(strip_nul(cgminer_reply(R"({"command":"summary"})", s)));
  ASSERT_TRUE(summary["SUMMARY"].is_array());
  EXPECT_TRUE(summary["SUMMARY"][0]["MHS 10s"].is_number());
  EXPECT_NE(strip_nul(cgminer_reply("summary", s)).find("|SUMMARY,Elapsed="), std::string::npos);
  EXPECT_NE(strip_nul(cgminer_reply("devs", s)).find("|CPU=0,Name=cpu0 (portable),"),
            std::string::npos);
}

TEST(CgminerReply, UnknownOrBrokenCommandsGetAStatusError) {
  const StatusSnapshot s = healthy();
  const std::string plain = strip_nul(cgminer_reply("addpool|x", s));
  EXPECT_EQ(plain.rfind("STATUS=E,", 0), 0u) << plain;
  EXPECT_NE(plain.find("Code=14"), std::string::npos) << plain;
  for (const char* bad : {R"({"command":"restart"})", R"({"command":5})", "{not json"}) {
    const std::string reply = strip_nul(cgminer_reply(bad, s));
    if (reply.front() == '{') {
      EXPECT_EQ(nlohmann::json::parse(reply)["STATUS"][0]["STATUS"], "E") << reply;
    } else {
      EXPECT_EQ(reply.rfind("STATUS=E,", 0), 0u) << reply;
    }
  }
}

TEST(CgminerReply, PlainValuesEscapeTheSeparators) {
  StatusSnapshot s = healthy();
  s.pools[0].url = "stratum+tcp://a,b|c=d:3333";
  const std::string plain = strip_nul(cgminer_reply("pools", s));
  EXPECT_NE(plain.find(R"(URL=stratum+tcp://a\,b\|c\=d:3333)"), std::string::npos) << plain;
}

}  // namespace
