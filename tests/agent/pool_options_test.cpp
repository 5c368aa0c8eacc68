// Pools from the command line (each -o starts a pool; what follows binds to it), from the config
// file's `pools` array and from IH_* variables; merged, checked, named in every error.
#include "cli/pool_options.hpp"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>

#include "cli/pool_switch_log.hpp"
#include "config/mine_config.hpp"
#include "ih/stratum/client/pool_client.hpp"

namespace {

using namespace ih::agent;

const std::string kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

ih::Result<PoolCommandLine> parse(const std::string& args) {
  CLI::App app;
  add_pool_options(app);
  app.parse(args, false);
  return read_pool_options(app);
}

// The command line applied over `base` (file and environment), then resolved.
ih::Result<std::vector<ResolvedPool>> resolve(const std::string& args, MineConfig base = {}) {
  auto line = parse(args);
  if (!line) return line.error();
  apply_pool_command_line(base, *line);
  return resolve_pools(base);
}

std::string error_of(const std::string& args, MineConfig base = {}) {
  auto r = resolve(args, std::move(base));
  return r.ok() ? std::string("(no error)") : r.error().message;
}

TEST(PoolOptions, OptionsAfterEachUrlBindToItAndOptionsBeforeTheFirstAreDefaults) {
  auto line = parse(
      "-u everyone --suggest-difficulty 8 -o stratum+tcp://a:1 -u alice "
      "--pool-insecure -o stratum+ssl://b:2 --hotkey " +
      kAlice + " --worker rig1 --pool-ca ca.pem -o stratum+tcp://c:3");
  ASSERT_TRUE(line.ok()) << line.error().message;
  EXPECT_EQ(line->defaults.user, "everyone");
  EXPECT_EQ(line->defaults.suggest_difficulty, 8);
  EXPECT_FALSE(line->defaults.tls_insecure);
  ASSERT_EQ(line->pools.size(), 3u);
  EXPECT_EQ(line->pools[0].url, "stratum+tcp://a:1");
  EXPECT_EQ(line->pools[0].settings.user, "alice");
  EXPECT_EQ(line->pools[0].settings.tls_insecure, true);
  EXPECT_EQ(line->pools[1].settings.hotkey, kAlice);
  EXPECT_EQ(line->pools[1].settings.worker, "rig1");
  EXPECT_EQ(line->pools[1].settings.tls_ca, "ca.pem");
  EXPECT_FALSE(line->pools[1].settings.user);
  EXPECT_FALSE(line->pools[2].settings.user);  // nothing of its own: the defaults apply
  EXPECT_FALSE(line->pools[2].settings.suggest_difficulty);
}

TEST(PoolOptions, EverySpellingBindsInOrder) {
  auto line = parse("--url=stratum+tcp://a:1 --user=alice -ostratum+tcp://b:2 -ubob -p s3");
  ASSERT_TRUE(line.ok()) << line.error().message;
  ASSERT_EQ(line->pools.size(), 2u);
  EXPECT_EQ(line->pools[0].settings.user, "alice");
  EXPECT_EQ(line->pools[1].url, "stratum+tcp://b:2");
  EXPECT_EQ(line->pools[1].settings.user, "bob");
  EXPECT_EQ(line->pools[1].settings.pass, "s3");
}

TEST(PoolOptions, TheSn89PoolAndAPlainAccountInOneList) {
  auto pools = resolve("--hotkey " + kAlice + " --worker rig1 --suggest-difficulty 1024 " +
                       "-o stratum+tcp://sn89:9332 -o stratum+ssl://own:3334 -u myaccount.rig1 " +
                       "-p secret --suggest-difficulty 0");
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  ASSERT_EQ(pools->size(), 2u);
  EXPECT_EQ((*pools)[0].user, "sn89auction." + kAlice + ".rig1");
  EXPECT_EQ((*pools)[0].suggest_difficulty, 1024);
  EXPECT_EQ((*pools)[1].user, "myaccount.rig1");
  EXPECT_EQ((*pools)[1].pass, "secret");
  EXPECT_EQ((*pools)[1].suggest_difficulty, 0);
  EXPECT_TRUE((*pools)[1].tls);
  const ih::stratum::PoolEndpoint e = to_endpoint((*pools)[1]);
  EXPECT_EQ(e.user, "myaccount.rig1");
  EXPECT_EQ(e.password, "secret");
}

TEST(PoolOptions, EveryErrorNamesItsPool) {
  const auto has = [](const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  };
  std::string e = error_of(
      "-o stratum+tcp://a:1 -u a -o stratum+tcp://b:2 --hotkey default "
      "--worker w");
  EXPECT_TRUE(has(e, "pool 1 (stratum+tcp://b:2): hotkey")) << e;
  EXPECT_TRUE(has(e, "SS58")) << e;
  e = error_of("-o stratum+tcp://a:1 -u a --pool-insecure");
  EXPECT_TRUE(has(e, "pool 0 (stratum+tcp://a:1): TLS options")) << e;
  e = error_of("-o stratum+tcp://a:1 -u a -o stratum+ssl://b:2 -u b --pool-fingerprint 12ab");
  EXPECT_TRUE(has(e, "pool 1 (stratum+ssl://b:2): pool-fingerprint")) << e;
  e = error_of("-o stratum+ssl://a:1 -u a --pool-ca /nonexistent/ca.pem");
  EXPECT_TRUE(has(e, "pool 0 (stratum+ssl://a:1): pool-ca: '/nonexistent/ca.pem'")) << e;
  e = error_of("--pool-insecure -o stratum+ssl://a:1 -u a --pool-fingerprint " +
               std::string(64, 'b'));
  EXPECT_TRUE(has(e, "pool 0 (stratum+ssl://a:1): give one of")) << e;
  e = error_of("-o stratum+tcp://a:1 -u a -o stratum+tcp://b:2");  // -u a was pool 0's only
  EXPECT_TRUE(has(e, "pool 1 (stratum+tcp://b:2): user: a pool needs --user")) << e;
  e = error_of("-u all -o stratum+tcp://a:1 -o stratum+tcp://b:2");
  EXPECT_TRUE(has(e, "no error")) << e;  // a default applies to both
  e = error_of("-o stratum+tcp://a:1 -u a -o stratum+tcp://b:2 -u b --hotkey " + kAlice);
  EXPECT_TRUE(has(e, "pool 1 (stratum+tcp://b:2): user: give either")) << e;
  e = error_of("-o stratum+tcp://a:1 -u a -o stratum+tcp://me:pw@b:2 -u b");
  EXPECT_TRUE(has(e, "pool 1 (stratum+tcp://***@b:2): url")) << e;  // the secret stays masked
  e = error_of("-o stratum+tcp://a:1 -u a -o http://b:2 -u b");
  EXPECT_TRUE(has(e, "pool 1 (http://b:2): url")) << e;
  auto line = parse("-o stratum+tcp://a:1 --suggest-difficulty lots");
  ASSERT_FALSE(line.ok());
  EXPECT_TRUE(has(line.error().message, "pool 0 (stratum+tcp://a:1): --suggest-difficulty"))
      << line.error().message;
}

TEST(PoolOptions, FingerprintsAreAcceptedAsOpensslPrintsThem) {
  std::string colons, plain;
  for (int i = 0; i < 32; ++i) {
    colons += std::string(i ? ":" : "") + "AB";
    plain += "ab";
  }
  auto pools = resolve("-o stratum+ssl://a:1 -u a --pool-fingerprint " + colons);
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  EXPECT_EQ((*pools)[0].tls_fingerprint, plain);
  EXPECT_EQ(to_endpoint((*pools)[0]).tls_fingerprint, plain);
  EXPECT_NE(describe_pool((*pools)[0]).find("pinned"), std::string::npos);
}

TEST(PoolOptions, PrecedenceFileThenEnvironmentThenFlagsForDefaultsAndLists) {
  auto file = apply_config_json(MineConfig{}, R"({"user": "file-user", "suggest-difficulty": 4,
      "pools": [{"url": "stratum+tcp://f1:1"},
                {"url": "stratum+tcp://f2:2", "user": "own", "suggest_difficulty": 16}]})");
  ASSERT_TRUE(file.ok()) << file.error().message;
  // The file alone: its top-level keys are every pool's defaults, a pool's own keys win.
  auto pools = resolve("", *file);
  ASSERT_TRUE(pools.ok()) << pools.error().message;
  ASSERT_EQ(pools->size(), 2u);
  EXPECT_EQ((*pools)[0].user, "file-user");
  EXPECT_EQ((*pools)[0].suggest_difficulty, 4);
  EXPECT_EQ((*pools)[1].user, "own");
  EXPECT_EQ((*pools)[1].suggest_difficulty, 16);
  // IH_USER replaces the default (not a pool's own user); flags before -o replace both.
  MineConfig env = apply_environment(*file, {{"IH_USER", "env-user"}});
  pools = resolve("", env);
  EXPECT_EQ((*pools)[0].user, "env-user");
  EXPECT_EQ((*pools)[1].user, "own");
  pools = resolve("-u flag-user", env);
  EXPECT_EQ((*pools)[0].user, "flag-user");
  EXPECT_EQ((*pools)[1].user, "own");
  // -o replaces the file's list; IH_URL does too, and -o beats IH_URL.
  pools = resolve("-o stratum+tcp://cli:3", env);
  ASSERT_EQ(pools->size(), 1u);
  EXPECT_EQ((*pools)[0].url, "stratum+tcp://cli:3");
  EXPECT_EQ((*pools)[0].user, "env-user");
  MineConfig env_url = apply_environment(*file, {{"IH_URL", "stratum+tcp://env:4"}});
  pools = resolve("", env_url);
  ASSERT_EQ(pools->size(), 1u);
  EXPECT_EQ((*pools)[0].url, "stratum+tcp://env:4");
  pools = resolve("-o stratum+tcp://cli:3", env_url);
  EXPECT_EQ((*pools)[0].url, "stratum+tcp://cli:3");
}

TEST(PoolSwitchLog, SaysWhichPoolIsActiveAndWhyItSwitched) {
  std::vector<ResolvedPool> pools(2);
  pools[0].url = "stratum+tcp://a:1";
  pools[0].user = "alice";
  pools[1] = pools[0];
  pools[1].index = 1;
  pools[1].url = "stratum+tcp://b:2";
  pools[1].user = "bob";
  PoolSwitchLog log(pools);
  auto line = log.on_connection(0, true, "ready");
  EXPECT_EQ(line.text, "pool 0 (stratum+tcp://a:1 as alice) is active (the primary)");
  line = log.on_connection(0, false, "the pool closed the connection");
  EXPECT_TRUE(line.warning);
  EXPECT_EQ(line.text, "pool 0 (stratum+tcp://a:1 as alice) lost: the pool closed the connection");
  line = log.on_connection(0, false, "cannot connect\x1b[2J");
  EXPECT_EQ(line.text.find('\x1b'), std::string::npos) << "pool bytes are escaped";
  EXPECT_NE(line.text.find("connection failed"), std::string::npos);
  line = log.on_connection(1, true, "ready");
  EXPECT_EQ(line.text,
            "pool 1 (stratum+tcp://b:2 as bob) is active (backup 1 of 1); switched from pool 0: "
            "the pool closed the connection");
  log.on_connection(1, false, "back to the primary pool");
  line = log.on_connection(0, true, "ready");
  EXPECT_NE(line.text.find("(the primary); switched from pool 1: back to the primary pool"),
            std::string::npos)
      << line.text;
}

}  // namespace
