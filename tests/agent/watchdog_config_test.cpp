// The dead-pool and share-rate settings: file keys, ranges, and what reaches the pool client.
#include <gtest/gtest.h>

#include <string>

#include "config/mine_config.hpp"

namespace {

using namespace ih::agent;
using namespace std::chrono_literals;

TEST(WatchdogConfig, FileKeysApplyAndReachThePoolClient) {
  auto c = apply_config_json(MineConfig{}, R"({"pool-job-timeout": 5, "pool-stale-after": 120,
      "pool-max-reject-ratio": 0.9, "pool-max-share-rate": 50})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_TRUE(validate_config(*c).ok());
  const auto w = to_pool_watchdog(c->watchdog);
  EXPECT_EQ(w.job_timeout, 5s);
  EXPECT_EQ(w.stale_after, 120s);
  EXPECT_DOUBLE_EQ(w.max_reject_ratio, 0.9);
  EXPECT_DOUBLE_EQ(c->watchdog.pool_max_share_rate, 50);
  const std::string printed = config_to_masked_json(*c);
  EXPECT_NE(printed.find("\"pool-job-timeout\": 5"), std::string::npos) << printed;
}

TEST(WatchdogConfig, DefaultsMatchTheReadme) {
  const auto w = to_pool_watchdog(WatchdogConfig{});
  EXPECT_EQ(w.job_timeout, 30s);
  EXPECT_EQ(w.stale_after, 300s);
  EXPECT_EQ(w.max_reject_ratio, 0);
  EXPECT_EQ(w.handshake_timeout, 10s);
  EXPECT_EQ(w.max_unanswered_submits, 5u);
  EXPECT_DOUBLE_EQ(WatchdogConfig{}.pool_max_share_rate, 20);
}

TEST(WatchdogConfig, BadValuesAreRefusedWithTheKey) {
  for (const char* doc : {R"({"pool-job-timeout": 0})", R"({"pool-stale-after": "5m"})",
                          R"({"pool-max-reject-ratio": 1.5})", R"({"pool-max-share-rate": -1})"}) {
    auto c = apply_config_json(MineConfig{}, doc);
    ASSERT_FALSE(c.ok()) << doc;
    EXPECT_NE(c.error().message.find("config key 'pool-"), std::string::npos) << c.error().message;
  }
  MineConfig bad;
  bad.watchdog.pool_max_reject_ratio = 2;
  auto v = validate_config(bad);
  ASSERT_FALSE(v.ok());
  EXPECT_NE(v.error().message.find("pool-max-reject-ratio"), std::string::npos);
}

}  // namespace
