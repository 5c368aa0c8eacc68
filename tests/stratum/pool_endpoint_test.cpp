// Per-pool settings in the client: each pool's own login and difficulty suggestion, the
// suggestion before authorize on every (re)connect, and failover between pools that expect
// different users.
#include <gtest/gtest.h>

#include "client_events.hpp"
#include "ih/stratum/client/pool_client.hpp"
#include "pool_fixtures.hpp"
#include "scripted_server.hpp"

namespace {

using namespace ih::stratum;
using ih::test::ClientEvents;
using ih::test::ScriptedServer;
using nlohmann::json;
using namespace std::chrono_literals;

PoolEndpoint endpoint(const std::string& url, const std::string& user, double suggest) {
  PoolEndpoint e;
  e.url = url;
  e.user = user;
  e.suggest_difficulty = suggest;
  return e;
}

// Subscribes the client; then the suggestion (when `suggest` > 0) must come before authorize.
// Returns the authorize request.
json subscribe_expecting_suggestion(ScriptedServer& pool, double suggest) {
  pool.reply(pool.expect("mining.configure")["id"], {{"version-rolling", false}});
  pool.reply(pool.expect("mining.subscribe")["id"], json::array({nullptr, "0a0b0c0d", 4}));
  auto next = pool.expect(suggest > 0 ? "mining.suggest_difficulty" : "mining.authorize");
  if (suggest <= 0) return next;
  EXPECT_EQ(next["params"][0], suggest);
  return pool.expect("mining.authorize");
}

TEST(PoolEndpoints, EachPoolSuggestsItsOwnDifficultyBeforeAuthorizeOnEveryConnect) {
  ScriptedServer alice_pool;
  ScriptedServer bob_pool;
  PoolClientOptions o;
  o.suggest_difficulty = 2;  // the default: pool 1 has none of its own
  o.pools = {endpoint(alice_pool.url(), "alice.rig1", 64),
             endpoint(bob_pool.url(), "sn89auction.bob.rig1", 0)};
  o.backoff_initial = 50ms;
  o.backoff_max = 100ms;
  o.request_timeout = 2s;
  o.primary_healthy_for = 10s;  // stay on the backup for this test
  // Only a session that delivered a job and held counts as healthy and is retried in place.
  o.watchdog.healthy_after = 1ms;
  ClientEvents log;
  PoolClient client(o, log.events());
  client.start();

  // Pool 0: authorized, then dropped; the reconnect suggests again before authorizing.
  ASSERT_TRUE(alice_pool.accept()) << alice_pool.last_error();
  auto auth = subscribe_expecting_suggestion(alice_pool, 64);
  EXPECT_EQ(auth["params"][0], "alice.rig1");
  alice_pool.reply(auth["id"], true);
  ASSERT_TRUE(log.wait_connections(1));
  alice_pool.notify("mining.notify", ih::test::notify_params("a1"));
  ASSERT_TRUE(log.wait_health(PoolHealthReason::healthy));
  alice_pool.drop();
  ASSERT_TRUE(alice_pool.accept()) << alice_pool.last_error();
  auth = subscribe_expecting_suggestion(alice_pool, 64);
  EXPECT_EQ(auth["params"][0], "alice.rig1");
  alice_pool.reply_error(auth["id"], json::array({24, "unauthorized worker", nullptr}));

  // Refused at authorize: the client moves to pool 1 with pool 1's login and suggestion.
  ASSERT_TRUE(bob_pool.accept()) << bob_pool.last_error();
  auth = subscribe_expecting_suggestion(bob_pool, 2);
  EXPECT_EQ(auth["params"][0], "sn89auction.bob.rig1");
  bob_pool.reply(auth["id"], true);
  ASSERT_TRUE(log.wait_connections(4));
  const auto c = log.connections();
  EXPECT_EQ(c[2].pool, 0u);
  EXPECT_FALSE(c[2].up);
  EXPECT_NE(c[2].reason.find("unauthorized worker"), std::string::npos) << c[2].reason;
  EXPECT_EQ(c[3].pool, 1u);
  EXPECT_TRUE(c[3].up);
  client.stop();
}

}  // namespace
