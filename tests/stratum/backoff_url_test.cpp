// Pool URLs and the reconnect back-off.
#include <gtest/gtest.h>

#include "ih/stratum/client/backoff.hpp"
#include "ih/stratum/client/pool_url.hpp"

namespace {

using namespace ih::stratum;
using namespace std::chrono_literals;

TEST(PoolUrl, ParsesSchemesHostsAndPorts) {
  auto a = parse_pool_url("stratum+tcp://pool.example:3333");
  ASSERT_TRUE(a.ok());
  EXPECT_FALSE(a->tls);
  EXPECT_EQ(a->host, "pool.example");
  EXPECT_EQ(a->port, 3333);
  auto b = parse_pool_url("stratum+ssl://[::1]:443");
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->tls);
  EXPECT_EQ(b->host, "::1");
  EXPECT_EQ(b->to_string(), "stratum+ssl://[::1]:443");
  EXPECT_TRUE(parse_pool_url("stratum+tls://10.0.0.1:1").ok());
  for (const char* bad :
       {"pool:3333", "http://p:1", "stratum+tcp://p", "stratum+tcp://p:0", "stratum+tcp://p:65536",
        "stratum+tcp://:1", "stratum+tcp://::1:3", "stratum+tcp://p:12a", "stratum+tcp://[::1:3"})
    EXPECT_FALSE(parse_pool_url(bad).ok()) << bad;
  const auto credentials = parse_pool_url("stratum+tcp://me:pw@pool.example:3333");
  ASSERT_FALSE(credentials.ok());
  EXPECT_NE(credentials.error().message.find("--user"), std::string::npos);
}

TEST(Backoff, DoublesWithJitterUpToTheCap) {
  Backoff b(1000ms, 60000ms, 42);
  const long long expected[] = {1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000};
  for (long long e : expected) {
    const auto d = b.next().count();
    EXPECT_GE(d, e * 3 / 4);
    EXPECT_LE(d, e * 5 / 4);
  }
  b.reset();
  EXPECT_LE(b.next().count(), 1250);
}

TEST(Backoff, JitterSpreadsAgents) {
  Backoff a(1000ms, 60000ms, 1), b(1000ms, 60000ms, 2);
  bool differ = false;
  for (int i = 0; i < 5; ++i) differ |= a.next() != b.next();
  EXPECT_TRUE(differ);
}

}  // namespace
