#include "config/mine_config.hpp"

#include <gtest/gtest.h>

#include <string>

#include "config/pool_url.hpp"
#include "ih/stratum/client/pool_url.hpp"

namespace {

using namespace ih::agent;

const std::string kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

std::string error_of(const std::string& json) {
  auto r = apply_config_json(MineConfig{}, json);
  return r.ok() ? std::string() : r.error().message;
}

TEST(MineConfig, FileKeysApply) {
  auto c = apply_config_json(MineConfig{}, R"({"url": ["stratum+tcp://a:1", "stratum+tcp://b:2"],
      "user": "w", "pass": "s3cret", "threads": 3, "cpu-kernel": "reference", "no-cpu": false,
      "hotkey": "", "worker": "", "subaccount": "sn89auction", "stats-interval": 5})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->pools.size(), 2u);
  EXPECT_EQ(c->user, "w");
  EXPECT_EQ(c->threads, 3u);
  EXPECT_EQ(c->stats_interval, 5);
  auto user = validate_config(*c);
  EXPECT_TRUE(user.ok()) << user.error().message;
}

TEST(MineConfig, UnknownKeyIsNamed) {
  const std::string e = error_of(R"({"url": "stratum+tcp://a:1", "treads": 2})");
  EXPECT_NE(e.find("'treads'"), std::string::npos) << e;
  EXPECT_NE(e.find("unknown"), std::string::npos) << e;
}

TEST(MineConfig, WrongTypeIsNamed) {
  EXPECT_NE(error_of(R"({"threads": "two"})").find("'threads'"), std::string::npos);
  EXPECT_NE(error_of(R"({"threads": -1})").find("'threads'"), std::string::npos);
  EXPECT_NE(error_of(R"({"url": 5})").find("'url'"), std::string::npos);
  EXPECT_NE(error_of(R"({"no-cpu": "yes"})").find("'no-cpu'"), std::string::npos);
  EXPECT_NE(error_of(R"({"cuda-devices": [0, "1"]})").find("'cuda-devices'"), std::string::npos);
  EXPECT_NE(error_of(R"({"user": 7})").find("'user'"), std::string::npos);
  EXPECT_NE(error_of(R"([1, 2])").find("JSON object"), std::string::npos);
  EXPECT_NE(error_of(R"({"user": )").find("not valid JSON"), std::string::npos);
}

// Found by the config fuzz target: nlohmann throws out_of_range, not parse_error, for this.
TEST(MineConfig, ANumberTooLargeIsAnErrorNotACrash) {
  EXPECT_NE(error_of(R"({"url":[222222222222e222222:)").find("not valid JSON"), std::string::npos);
  EXPECT_NE(error_of(R"({"threads": 1e999})").find("not valid JSON"), std::string::npos);
}

// Found by the config fuzz target: an error message quoting part of a non-ASCII hotkey made the
// printed config throw (invalid UTF-8) instead of printing it.
TEST(MineConfig, PrintedConfigSurvivesBytesThatAreNotUtf8) {
  auto c = apply_config_json(MineConfig{}, R"({"hotkey":"5999\u2999)" + std::string(50, '9') +
                                               R"(GrstratuwvaEF5zXb26Fz9Q", "worker":"w2"})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_NO_THROW((void)config_to_masked_json(*c));
  MineConfig raw;
  raw.user = "w\xff\xfe";
  EXPECT_NO_THROW((void)config_to_masked_json(raw));
}

TEST(MineConfig, BadUrlIsNamedWithItsIndex) {
  MineConfig c;
  c.user = "w";
  c.pools = {{"stratum+tcp://good:3333", {}, true}, {"http://bad:80", {}, true}};
  auto r = validate_config(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("pool 1 (http://bad:80): url"), std::string::npos)
      << r.error().message;
  for (const char* bad :
       {"stratum+tcp://host", "stratum+tcp://:3333", "stratum+tcp://h:0", "stratum+tcp://h:70000",
        "stratum+tcp://h:33a", "host:3333", "stratum+tcp://h:1/path"}) {
    c.pools = {{bad, {}, true}};
    EXPECT_FALSE(validate_config(c).ok()) << bad;
  }
}

TEST(PoolUrl, ParsesSchemesAndMasksSecrets) {
  // Config validation uses the stratum client's parser: what validates, the client can dial.
  auto u = ih::stratum::parse_pool_url("stratum+ssl://pool.example.com:443");
  ASSERT_TRUE(u.ok());
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "pool.example.com");
  EXPECT_EQ(u->port, 443);
  EXPECT_EQ(mask_url_secret("stratum+tcp://me:pw@h:1"), "stratum+tcp://***@h:1");
  EXPECT_EQ(mask_url_secret("stratum+tcp://h:1"), "stratum+tcp://h:1");
}

TEST(MineConfig, BadHotkeyIsNamed) {
  MineConfig c;
  c.worker = "rig1";
  c.hotkey = "default";
  auto r = validate_config(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("hotkey"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("SS58 address is expected"), std::string::npos);
  c.hotkey = kAlice;
  auto ok = validate_config(c);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->at(0).user, "sn89auction." + kAlice + ".rig1");
  c.user = "someone";
  EXPECT_FALSE(validate_config(c).ok());  // --user and --hotkey together
}

TEST(MineConfig, OtherFieldErrorsNameTheField) {
  MineConfig c;
  c.cpu_kernel = "warp-drive";
  EXPECT_NE(validate_config(c).error().message.find("cpu-kernel"), std::string::npos);
  c = MineConfig{};
  c.no_cpu = true;
  EXPECT_TRUE(validate_config(c).ok());  // GPUs may still mine; checked against the hardware later
  c.no_gpu = true;
  EXPECT_NE(validate_config(c).error().message.find("no-cpu"), std::string::npos);
  c = MineConfig{};
  c.opencl_devices = {0, -1};
  EXPECT_NE(validate_config(c).error().message.find("opencl-devices"), std::string::npos);
  c = MineConfig{};
  c.no_gpu = true;
  c.cuda_devices = {0};
  EXPECT_NE(validate_config(c).error().message.find("no-gpu"), std::string::npos);
  c = MineConfig{};
  c.pools = {{"stratum+tcp://h:1", {}, true}};
  EXPECT_NE(validate_config(c).error().message.find("user"), std::string::npos);
}

TEST(MineConfig, NoPoolMeansTheLocalPool) {
  auto pools = validate_config(MineConfig{});
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  ASSERT_EQ(pools->size(), 1u);
  EXPECT_TRUE(pools->at(0).url.empty());
  EXPECT_FALSE(pools->at(0).user.empty());
}

TEST(MineConfig, EnvironmentSuppliesSecrets) {
  MineConfig c;
  c.pass = "from-file";
  c = apply_environment(c, {{"IH_PASS", "from-env"}, {"IH_USER", "envuser"}, {"OTHER", "x"}});
  EXPECT_EQ(c.pass, "from-env");
  EXPECT_EQ(c.user, "envuser");
}

TEST(MineConfig, PrintedConfigMasksSecrets) {
  MineConfig c;
  c.pass = "hunter2";
  c.user = "w";
  c.pools = {{"stratum+tcp://me:pw@h:1", {}, true}};
  const std::string text = config_to_masked_json(c);
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_EQ(text.find(":pw@"), std::string::npos) << text;
  EXPECT_NE(text.find("\"threads\""), std::string::npos) << text;
  // What is printed reads back as a config file with the same schema.
  MineConfig plain;
  auto back = apply_config_json(MineConfig{}, config_to_masked_json(plain));
  EXPECT_TRUE(back.ok()) << back.error().message;
}

TEST(MineConfig, PoolsArrayCarriesEachPoolsSettings) {
  auto c = apply_config_json(MineConfig{}, R"({"hotkey": ")" + kAlice + R"(", "worker": "rig1",
      "pools": [
        {"url": "stratum+tcp://sn89:9332", "suggest_difficulty": 1024},
        {"url": "stratum+ssl://own:3334", "user": "me.rig1", "pass": "pw",
         "tls_fingerprint": ")" + std::string(64, 'C') +
                                               R"("},
        {"url": "stratum+tcp://off:1", "user": "x", "enabled": false},
        {"url": "stratum+ssl://lab:1", "user": "lab", "tls_insecure": true,
         "hotkey": "", "worker": ""}]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  ASSERT_EQ(c->pools.size(), 4u);
  auto pools = validate_config(*c);
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  ASSERT_EQ(pools->size(), 3u);  // the disabled one is skipped but keeps its index
  EXPECT_EQ((*pools)[0].user, "sn89auction." + kAlice + ".rig1");
  EXPECT_EQ((*pools)[0].suggest_difficulty, 1024);
  EXPECT_EQ((*pools)[1].user, "me.rig1");
  EXPECT_EQ((*pools)[1].tls_fingerprint, std::string(64, 'c'));
  EXPECT_EQ((*pools)[2].index, 3u);
  EXPECT_TRUE((*pools)[2].tls_insecure);
}

TEST(MineConfig, PoolsArrayErrorsNameThePoolAndKey) {
  EXPECT_NE(error_of(R"({"pools": {"url": "x"}})").find("'pools'"), std::string::npos);
  EXPECT_NE(error_of(R"({"pools": [{"user": "w"}]})").find("'pools[0]': a pool needs \"url\""),
            std::string::npos);
  EXPECT_NE(error_of(R"({"pools": [{"url": "a"}, {"url": "b", "tls_insecure": "yes"}]})")
                .find("'pools[1].tls_insecure'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"pools": [{"url": "a", "passwd": "x"}]})").find("'pools[0].passwd'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"pools": [{"url": "a", "suggest_difficulty": -1}]})")
                .find("'pools[0].suggest_difficulty'"),
            std::string::npos);
  EXPECT_NE(error_of(R"({"url": "stratum+tcp://a:1", "pools": []})").find("not both"),
            std::string::npos);
  auto all_off = apply_config_json(
      MineConfig{}, R"({"pools": [{"url": "stratum+tcp://a:1", "user": "a", "enabled": false}]})");
  ASSERT_TRUE(all_off.ok());
  EXPECT_NE(validate_config(*all_off).error().message.find("every pool is disabled"),
            std::string::npos);
}

TEST(MineConfig, PrintedPoolsAreResolvedMaskedAndReadBack) {
  auto c = apply_config_json(MineConfig{}, R"({"user": "w", "pass": "topsecret", "pools": [
      {"url": "stratum+tcp://a:1"}, {"url": "stratum+ssl://b:2", "user": "own",
       "pass": "other-secret", "tls_insecure": true}]})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  const std::string text = config_to_masked_json(*c);
  EXPECT_EQ(text.find("topsecret"), std::string::npos) << text;
  EXPECT_EQ(text.find("other-secret"), std::string::npos) << text;
  EXPECT_NE(text.find("\"user\": \"own\""), std::string::npos) << text;
  EXPECT_NE(text.find("\"tls_insecure\": true"), std::string::npos) << text;
  auto back = apply_config_json(MineConfig{}, text);
  ASSERT_TRUE(back.ok()) << back.error().message;
  auto pools = validate_config(*back);
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  EXPECT_EQ(pools->size(), 2u);
}

}  // namespace
