// pools.toml: the file the subnet's tooling writes, every error path (each names its key path),
// warnings for unknown keys, upstream worker names and worker filters.
#include <gtest/gtest.h>

#include <string>

#include "proxy/proxy_config.hpp"

namespace ih::proxy {
namespace {

using std::chrono::seconds;

// One valid main pool, to which a test appends what it checks.
const std::string kOnePool = R"(
[[pools.main]]
name = "a"
host = "pool.example"
port = 3333
)";

Result<LoadedProxyConfig> parse(const std::string& text) {
  return parse_proxy_config(text, "pools.toml");
}

// The text fails to load, and the message names `path` (and the file).
void expect_error(const std::string& text, const std::string& path) {
  const auto loaded = parse(text);
  ASSERT_FALSE(loaded.ok()) << "accepted:\n" << text;
  EXPECT_NE(loaded.error().message.find(path + ": "), std::string::npos) << loaded.error().message;
  EXPECT_EQ(loaded.error().message.rfind("pools.toml:", 0), 0u) << loaded.error().message;
}

std::vector<std::string> warnings_of(const std::string& text) {
  const auto loaded = parse(text);
  EXPECT_TRUE(loaded.ok()) << loaded.error().message;
  return loaded.ok() ? loaded->warnings : std::vector<std::string>{};
}

bool has_warning(const std::vector<std::string>& warnings, const std::string& part) {
  for (const std::string& w : warnings)
    if (w.find(part) != std::string::npos) return true;
  return false;
}

TEST(ProxyConfig, LoadsTheFileTheSubnetToolingWrites) {
  const auto loaded = load_proxy_config(std::string(IH_TEST_DATA_DIR) + "/pools.sample.toml");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(loaded->warnings.empty()) << loaded->warnings.front();
  const ProxyConfig& c = loaded->config;
  ASSERT_EQ(c.main.size(), 2u);
  EXPECT_EQ(c.main[0].name, "central-proxy");
  EXPECT_EQ(c.main[0].host, "stratum.infinitehash.xyz");
  EXPECT_EQ(c.main[0].port, 9332);
  EXPECT_EQ(c.main[0].url(), "stratum+tcp://stratum.infinitehash.xyz:9332");
  EXPECT_EQ(c.main[0].worker_id, "sn89auction.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
  ASSERT_TRUE(c.main[0].target_hashrate.has_value());
  EXPECT_DOUBLE_EQ(*c.main[0].target_hashrate, 300e12);
  EXPECT_FALSE(c.main[0].backup);
  EXPECT_EQ(c.main[1].name, "own-pool");
  EXPECT_EQ(c.main[1].weight, 1);
  EXPECT_FALSE(c.main[1].target_hashrate.has_value());
  EXPECT_EQ(c.main[1].worker_id, "myaccount");
  ASSERT_TRUE(c.backup.has_value());
  EXPECT_TRUE(c.backup->backup);
  EXPECT_EQ(c.backup->name, "own-pool-backup");
  EXPECT_EQ(c.backup->url(), "stratum+tcp://btc.example.net:3333");
  EXPECT_EQ(c.backup->worker_id, "myaccount.rig");
  EXPECT_EQ(c.extranonce2_size, 4u);
  EXPECT_EQ(c.routing.rebalance_interval_seconds, seconds(60));
  EXPECT_EQ(c.routing.grace_period_seconds, seconds(120));
}

TEST(ProxyConfig, DefaultsWithOnlyAPool) {
  const auto loaded = parse(kOnePool);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const ProxyConfig& c = loaded->config;
  EXPECT_EQ(c.main[0].weight, 1);
  EXPECT_EQ(c.main[0].worker_id, "");
  EXPECT_FALSE(c.backup.has_value());
  EXPECT_FALSE(c.extranonce2_size.has_value());
  const RoutingConfig& r = c.routing;
  EXPECT_EQ(r.rebalance_interval_seconds, seconds(60));
  EXPECT_EQ(r.grace_period_seconds, seconds(120));
  EXPECT_EQ(r.min_shares_for_estimate, 10u);
  EXPECT_EQ(r.rebalance_threshold_percent, 10);
  EXPECT_EQ(r.min_reassign_interval_seconds, seconds(300));
  EXPECT_EQ(r.pool_connect_timeout_seconds, seconds(10));
  EXPECT_EQ(r.pool_read_timeout_seconds, seconds(120));
  EXPECT_EQ(r.pool_unhealthy_cooldown_seconds, seconds(60));
  EXPECT_EQ(r.worker_assignment_stale_threshold_seconds, seconds(600));
  EXPECT_EQ(r.disconnected_worker_retention_seconds, seconds(3600));
  EXPECT_TRUE(c.filters.allowed_workers.empty());
}

TEST(ProxyConfig, ReadsEveryRoutingKey) {
  const auto loaded = parse(kOnePool + R"(
[routing]
rebalance_interval_seconds = 30
grace_period_seconds = 0
min_shares_for_estimate = 20
rebalance_threshold_percent = 7.5
min_reassign_interval_seconds = 600
pool_connect_timeout_seconds = 5
pool_read_timeout_seconds = 90
pool_unhealthy_cooldown_seconds = 30
worker_assignment_stale_threshold_seconds = 900
disconnected_worker_retention_seconds = 7200
)");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_TRUE(loaded->warnings.empty());
  const RoutingConfig& r = loaded->config.routing;
  EXPECT_EQ(r.rebalance_interval_seconds, seconds(30));
  EXPECT_EQ(r.grace_period_seconds, seconds(0));
  EXPECT_EQ(r.min_shares_for_estimate, 20u);
  EXPECT_EQ(r.rebalance_threshold_percent, 7.5);
  EXPECT_EQ(r.min_reassign_interval_seconds, seconds(600));
  EXPECT_EQ(r.pool_connect_timeout_seconds, seconds(5));
  EXPECT_EQ(r.pool_read_timeout_seconds, seconds(90));
  EXPECT_EQ(r.pool_unhealthy_cooldown_seconds, seconds(30));
  EXPECT_EQ(r.worker_assignment_stale_threshold_seconds, seconds(900));
  EXPECT_EQ(r.disconnected_worker_retention_seconds, seconds(7200));
}

TEST(ProxyConfig, ZeroTargetAndNumericTargetAreAccepted) {
  // The tooling writes "0TH/s" when no bid is won; a bare number is H/s.
  const auto loaded = parse(kOnePool + R"(target_hashrate = "0TH/s"
[[pools.main]]
name = "b"
host = "h"
port = 1
target_hashrate = 5e12
)");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->config.main[0].target_hashrate, 0.0);
  EXPECT_EQ(loaded->config.main[1].target_hashrate, 5e12);
}

TEST(ProxyConfig, NamesDefaultToTheirPlace) {
  const auto loaded = parse(
      "[[pools.main]]\nhost = \"h\"\nport = 1\n"
      "[pools.backup]\nhost = \"h\"\nport = 2\n");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->config.main[0].name, "main[0]");
  EXPECT_EQ(loaded->config.backup->name, "backup");
}

TEST(ProxyConfigError, SyntaxGivesLineAndColumn) {
  const auto loaded = parse("[[pools.main]]\nhost = \"h\"\nport = = 3\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_EQ(loaded.error().message.rfind("pools.toml:3:", 0), 0u) << loaded.error().message;
  // line:column:
  EXPECT_NE(loaded.error().message.find("pools.toml:3:8"), std::string::npos)
      << loaded.error().message;
}

TEST(ProxyConfigError, PortNotAnIntegerQuotesIt) {
  const auto loaded =
      parse(kOnePool + "[[pools.main]]\nname = \"b\"\nhost = \"h\"\nport = \"abc\"\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(
      loaded.error().message.find(R"(pools.main[1].port: expected an integer 1..65535, got "abc")"),
      std::string::npos)
      << loaded.error().message;
  EXPECT_EQ(loaded.error().message.rfind("pools.toml:9:", 0), 0u) << loaded.error().message;
}

TEST(ProxyConfigError, PortOutOfRange) {
  expect_error("[[pools.main]]\nhost = \"h\"\nport = 0\n", "pools.main[0].port");
  expect_error("[[pools.main]]\nhost = \"h\"\nport = 65536\n", "pools.main[0].port");
  expect_error("[[pools.main]]\nhost = \"h\"\nport = 3333.0\n", "pools.main[0].port");
}

TEST(ProxyConfigError, PortMissing) {
  expect_error("[[pools.main]]\nhost = \"h\"\n", "pools.main[0].port");
}

TEST(ProxyConfigError, NoPoolsAtAll) {
  expect_error("[routing]\nrebalance_interval_seconds = 60\n", "pools.main");
  expect_error("[pools]\n", "pools.main");
  expect_error("[pools]\nmain = []\n", "pools.main");
}

TEST(ProxyConfigError, PoolsNotATable) {
  expect_error("pools = 3\n", "pools");
}

TEST(ProxyConfigError, MainNotAnArrayOfTables) {
  expect_error("[pools.main]\nhost = \"h\"\nport = 1\n", "pools.main");
  expect_error("[pools]\nmain = [1]\n", "pools.main[0]");
}

TEST(ProxyConfigError, HostMissingEmptyOrAUrl) {
  expect_error("[[pools.main]]\nport = 1\n", "pools.main[0].host");
  expect_error("[[pools.main]]\nhost = \"\"\nport = 1\n", "pools.main[0].host");
  expect_error("[[pools.main]]\nhost = 7\nport = 1\n", "pools.main[0].host");
  expect_error("[[pools.main]]\nhost = \"stratum+tcp://h:1\"\nport = 1\n", "pools.main[0].host");
}

TEST(ProxyConfigError, NameEmptyOrNotAString) {
  expect_error("[[pools.main]]\nname = \"\"\nhost = \"h\"\nport = 1\n", "pools.main[0].name");
  expect_error("[[pools.main]]\nname = 1\nhost = \"h\"\nport = 1\n", "pools.main[0].name");
}

TEST(ProxyConfigError, DuplicateNames) {
  expect_error(kOnePool + "[[pools.main]]\nname = \"a\"\nhost = \"h\"\nport = 1\n",
               "pools.main[1].name");
  const auto loaded = parse(kOnePool + "[pools.backup]\nname = \"a\"\nhost = \"h\"\nport = 1\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("pools.backup.name: \"a\" is already the name of "
                                        "pools.main[0]"),
            std::string::npos)
      << loaded.error().message;
}

TEST(ProxyConfigError, WeightNegativeNotFiniteOrNotANumber) {
  expect_error(kOnePool + "weight = -1\n", "pools.main[0].weight");
  expect_error(kOnePool + "weight = nan\n", "pools.main[0].weight");
  expect_error(kOnePool + "weight = inf\n", "pools.main[0].weight");
  expect_error(kOnePool + "weight = \"2\"\n", "pools.main[0].weight");
}

TEST(ProxyConfigError, TargetHashrateUnparsable) {
  const auto loaded = parse(kOnePool + "target_hashrate = \"300TB/s\"\n");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("pools.main[0].target_hashrate: "), std::string::npos)
      << loaded.error().message;
  EXPECT_NE(loaded.error().message.find("\"300TB/s\""), std::string::npos)
      << loaded.error().message;
  expect_error(kOnePool + "target_hashrate = -5\n", "pools.main[0].target_hashrate");
  expect_error(kOnePool + "target_hashrate = true\n", "pools.main[0].target_hashrate");
}

TEST(ProxyConfigError, WorkerIdNotAString) {
  expect_error(kOnePool + "worker_id = 12\n", "pools.main[0].worker_id");
}

TEST(ProxyConfigError, BackupNotATable) {
  expect_error("[pools]\nbackup = \"x\"\n[[pools.main]]\nhost = \"h\"\nport = 1\n", "pools.backup");
  expect_error(kOnePool + "[pools.backup]\nhost = \"h\"\nport = 99999\n", "pools.backup.port");
}

TEST(ProxyConfigError, Extranonce2SizeOutOfRange) {
  expect_error(kOnePool + "[extranonce]\nextranonce2_size = 0\n", "extranonce.extranonce2_size");
  expect_error(kOnePool + "[extranonce]\nextranonce2_size = 9\n", "extranonce.extranonce2_size");
  expect_error(kOnePool + "[extranonce]\nextranonce2_size = \"4\"\n",
               "extranonce.extranonce2_size");
  expect_error("extranonce = 4\n" + kOnePool, "extranonce");
}

TEST(ProxyConfigError, RoutingValuesOutOfRangeOrMistyped) {
  expect_error(kOnePool + "[routing]\nrebalance_interval_seconds = 0\n",
               "routing.rebalance_interval_seconds");
  expect_error(kOnePool + "[routing]\ngrace_period_seconds = -1\n", "routing.grace_period_seconds");
  expect_error(kOnePool + "[routing]\npool_read_timeout_seconds = \"120\"\n",
               "routing.pool_read_timeout_seconds");
  expect_error(kOnePool + "[routing]\nmin_reassign_interval_seconds = 1.5\n",
               "routing.min_reassign_interval_seconds");
  expect_error(kOnePool + "[routing]\nmin_shares_for_estimate = 0\n",
               "routing.min_shares_for_estimate");
  expect_error(kOnePool + "[routing]\nrebalance_threshold_percent = -3\n",
               "routing.rebalance_threshold_percent");
  expect_error(kOnePool + "[routing]\ndisconnected_worker_retention_seconds = 99999999\n",
               "routing.disconnected_worker_retention_seconds");
  expect_error("routing = 1\n" + kOnePool, "routing");
}

TEST(ProxyConfigError, FiltersMistyped) {
  expect_error(kOnePool + "[filters]\nallowed_workers = [1]\n", "filters.allowed_workers[0]");
  expect_error(kOnePool + "[filters]\nblocked_workers = 3\n", "filters.blocked_workers");
  expect_error("filters = 1\n" + kOnePool, "filters");
}

TEST(ProxyConfigError, UnreadableFile) {
  const auto loaded = load_proxy_config("/nonexistent/pools.toml");
  ASSERT_FALSE(loaded.ok());
  EXPECT_NE(loaded.error().message.find("/nonexistent/pools.toml"), std::string::npos);
}

TEST(ProxyConfigWarnings, UnknownKeysAreNamedByPath) {
  const auto w = warnings_of("colour = \"red\"\n" + kOnePool + R"(prot = 3
[pools.backup]
host = "h"
port = 2
hots = "x"
[pools.extra]
x = 1
[extranonce]
extranonce1_size = 4
[routing]
rebalance_intervall_seconds = 60
[filters]
regions = ["eu"]
)");
  EXPECT_TRUE(has_warning(w, "colour: unknown key")) << ::testing::PrintToString(w);
  EXPECT_TRUE(has_warning(w, "pools.main[0].prot: unknown key")) << ::testing::PrintToString(w);
  EXPECT_TRUE(has_warning(w, "pools.backup.hots: unknown key")) << ::testing::PrintToString(w);
  EXPECT_TRUE(has_warning(w, "pools.extra: unknown key")) << ::testing::PrintToString(w);
  EXPECT_TRUE(has_warning(w, "extranonce.extranonce1_size: unknown key"));
  EXPECT_TRUE(has_warning(w, "routing.rebalance_intervall_seconds: unknown key"));
  EXPECT_TRUE(has_warning(w, "filters.regions: unknown key"));
  EXPECT_EQ(w.size(), 7u) << ::testing::PrintToString(w);
  EXPECT_TRUE(has_warning(w, "pools.toml:1: colour")) << ::testing::PrintToString(w);
}

TEST(ProxyConfigWarnings, UnusedWeightAndBackupValues) {
  auto w = warnings_of(kOnePool + "target_hashrate = \"1PH/s\"\nweight = 2\n");
  EXPECT_TRUE(has_warning(w, "pools.main[0].weight: unused: target_hashrate wins"))
      << ::testing::PrintToString(w);
  w = warnings_of(kOnePool + "weight = 0\n");
  EXPECT_TRUE(has_warning(w, "pools.main[0].weight: 0 and no target_hashrate"));
  w = warnings_of(kOnePool +
                  "[pools.backup]\nhost = \"h\"\nport = 2\ntarget_hashrate = \"1TH/s\"\n");
  EXPECT_TRUE(has_warning(w, "pools.backup.target_hashrate: unused"));
}

TEST(ProxyConfigFilters, KeepsPatternsAndUnknownKeys) {
  const auto loaded = parse(kOnePool + R"(
[filters]
allowed_workers = ["farm1.*", "farm2.rig?"]
blocked_workers = "farm1.bad*"
min_difficulty = 1024
)");
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  const FilterConfig& f = loaded->config.filters;
  EXPECT_EQ(f.allowed_workers, (std::vector<std::string>{"farm1.*", "farm2.rig?"}));
  EXPECT_EQ(f.blocked_workers, (std::vector<std::string>{"farm1.bad*"}));
  ASSERT_EQ(f.other.count("min_difficulty"), 1u);
  EXPECT_EQ(f.other.at("min_difficulty"), "1024");
  EXPECT_TRUE(worker_allowed(f, "farm1.s19"));
  EXPECT_TRUE(worker_allowed(f, "farm2.rig7"));
  EXPECT_FALSE(worker_allowed(f, "farm2.rig77"));
  EXPECT_FALSE(worker_allowed(f, "farm1.bad3"));
  EXPECT_FALSE(worker_allowed(f, "farm3.x"));
  EXPECT_TRUE(worker_allowed(FilterConfig{}, "anyone"));
}

TEST(ProxyConfigFilters, GlobMatch) {
  EXPECT_TRUE(glob_match("*", ""));
  EXPECT_TRUE(glob_match("a*b*c", "aXXbYYc"));
  EXPECT_FALSE(glob_match("a*b*c", "aXXbYY"));
  EXPECT_TRUE(glob_match("?", "x"));
  EXPECT_FALSE(glob_match("?", ""));
  EXPECT_FALSE(glob_match("abc", "abcd"));
  EXPECT_TRUE(glob_match("**a", "bba"));
  EXPECT_FALSE(glob_match("", "a"));
}

TEST(UpstreamWorkerName, PrefixesTheDownstreamSuffix) {
  ProxyPool pool;
  pool.worker_id = "sn89auction.5Hot";
  EXPECT_EQ(upstream_worker_name(pool, "account.rig1"), "sn89auction.5Hot.rig1");
  EXPECT_EQ(upstream_worker_name(pool, "rig1"), "sn89auction.5Hot.rig1");
  EXPECT_EQ(upstream_worker_name(pool, "a.b.c"), "sn89auction.5Hot.b_c");
  EXPECT_EQ(upstream_worker_name(pool, "a.r ig/\xff"), "sn89auction.5Hot.r_ig__");
  EXPECT_EQ(upstream_worker_name(pool, "a.Rig_-9"), "sn89auction.5Hot.Rig_-9");
  EXPECT_EQ(upstream_worker_name(pool, "account."), "sn89auction.5Hot.default");
  EXPECT_EQ(upstream_worker_name(pool, ""), "sn89auction.5Hot.default");
  EXPECT_EQ(upstream_worker_name(pool, "a." + std::string(100, 'x')),
            "sn89auction.5Hot." + std::string(64, 'x'));
  pool.worker_id.clear();
  EXPECT_EQ(upstream_worker_name(pool, "account.rig 1"), "account.rig 1");
}

}  // namespace
}  // namespace ih::proxy
