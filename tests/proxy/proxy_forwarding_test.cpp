// The proxy between scripted downstream miners and the built-in pool upstream (which verifies
// every share in full): the extranonce split keeps miners apart and rebuilds byte for byte
// upstream; every kind of invalid downstream share is refused and never reaches the pool.
#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "line_client.hpp"
#include "local_pool/local_pool.hpp"
#include "proxy/proxy_service.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih;
using namespace std::chrono_literals;
using ih::test::LineClient;
using ih::test::wait_until;
using nlohmann::json;

const double kUpstreamDifficulty = 1.0 / 65536;         // one hash in 65 536
const double kDownstreamDifficulty = 1.0 / (1u << 28);  // one hash in 16

std::unique_ptr<agent::local_pool::LocalPool> start_upstream(std::size_t extranonce2_size) {
  agent::local_pool::LocalPoolOptions o;
  o.session.initial_difficulty = kUpstreamDifficulty;
  o.session.vardiff = false;
  o.job_interval = 60s;
  o.extranonce2_size = extranonce2_size;
  auto pool = agent::local_pool::LocalPool::start(o);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  return pool.ok() ? std::move(*pool) : nullptr;
}

std::unique_ptr<proxy::ProxyService> start_proxy(std::uint16_t upstream_port,
                                                 std::optional<unsigned> extranonce2_size) {
  proxy::ProxyOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  proxy::ProxyPool pool;
  pool.name = "up";
  pool.host = "127.0.0.1";
  pool.port = upstream_port;
  pool.worker_id = "acct";
  o.config.main = {pool};
  o.config.extranonce2_size = extranonce2_size;
  o.config.routing.grace_period_seconds = 0s;
  o.initial_difficulty = kDownstreamDifficulty;
  o.min_difficulty = kDownstreamDifficulty;
  o.backoff_initial = 50ms;
  o.backoff_max = 200ms;
  auto proxy = proxy::ProxyService::start(std::move(o));
  EXPECT_TRUE(proxy.ok()) << proxy.error().message;
  return proxy.ok() ? std::move(*proxy) : nullptr;
}

// A miner as a test drives it: the handshake, the job it got, shares it finds on demand.
struct Miner {
  std::unique_ptr<LineClient> link;
  stratum::Bytes extranonce1;
  std::size_t extranonce2_size = 0;
  stratum::JobFields job;
  int next_id = 10;

  bool connect(std::uint16_t port, const std::string& user) {
    // The proxy takes miners once its pool has work: retry until then.
    return wait_until(
        [&] {
          link = std::make_unique<LineClient>("127.0.0.1", port);
          if (!link->connected()) return false;
          link->send({{"id", 1}, {"method", "mining.subscribe"}, {"params", {"test-asic/1.0"}}});
          auto sub = link->reply(1, 1s);
          if (!sub || !sub->contains("result") || (*sub)["result"].is_null()) return false;
          extranonce1 = *stratum::from_hex((*sub)["result"][1].get<std::string>());
          extranonce2_size = (*sub)["result"][2].get<std::size_t>();
          link->send({{"id", 2}, {"method", "mining.authorize"}, {"params", {user, "x"}}});
          auto auth = link->reply(2, 2s);
          return auth && (*auth)["result"] == true && take_job(3s);
        },
        10s);
  }

  bool take_job(std::chrono::milliseconds timeout) {
    auto n = link->until([](const json& m) { return m.value("method", "") == "mining.notify"; },
                         timeout);
    if (!n) return false;
    const json& p = (*n)["params"];
    std::vector<std::string> branch;
    for (const auto& b : p[4]) branch.push_back(b.get<std::string>());
    auto fields = stratum::decode_job_fields(p[0], p[1].get<std::string>(), p[2].get<std::string>(),
                                             p[3].get<std::string>(), branch,
                                             p[5].get<std::string>(), p[6].get<std::string>(),
                                             p[7].get<std::string>(), p[8].get<bool>());
    if (!fields) return false;
    job = *fields;
    return true;
  }

  stratum::Bytes extranonce2(std::uint8_t tag) const {
    stratum::Bytes e(extranonce2_size, 0);
    e.back() = tag;
    return e;
  }

  // The first nonce whose hash meets `difficulty` (and, with `below`, misses that one).
  json find_share(double difficulty, std::uint8_t tag, std::optional<double> below = {}) const {
    const Uint256 target = *stratum::difficulty_to_target(difficulty);
    const std::optional<Uint256> above =
        below ? std::optional<Uint256>(*stratum::difficulty_to_target(*below)) : std::nullopt;
    const stratum::Bytes en2 = extranonce2(tag);
    for (std::uint32_t nonce = 0;; ++nonce) {
      stratum::ShareFields f{extranonce1, en2, job.ntime, nonce, 0, 0};
      const Hash256 h = kernels::sha256d(stratum::header_for_share(job, f));
      if (hash_meets_target(h, target) && !(above && hash_meets_target(h, *above)))
        return {"rig.a", job.job_id, stratum::to_hex(en2), stratum::u32_to_be_hex(job.ntime),
                stratum::u32_to_be_hex(nonce)};
    }
  }

  json submit(json params) {
    const int id = next_id++;
    link->send({{"id", id}, {"method", "mining.submit"}, {"params", std::move(params)}});
    auto r = link->reply(id, 5s);
    return r ? *r : json();
  }
};

struct SplitCase {
  std::size_t upstream_size;
  std::optional<unsigned> downstream_size;
  std::size_t expected_downstream;
};

class ProxySplit : public ::testing::TestWithParam<SplitCase> {};

TEST_P(ProxySplit, MinersGetDisjointExtranoncesAndForwardedSharesRebuildUpstream) {
  const SplitCase c = GetParam();
  auto upstream = start_upstream(c.upstream_size);
  ASSERT_TRUE(upstream);
  auto proxy = start_proxy(upstream->port(), c.downstream_size);
  ASSERT_TRUE(proxy);
  Miner a, b;
  ASSERT_TRUE(a.connect(proxy->port(), "rig.a"));
  ASSERT_TRUE(b.connect(proxy->port(), "rig.b"));
  EXPECT_EQ(a.extranonce2_size, c.expected_downstream);
  EXPECT_EQ(a.extranonce1.size(), 4 + (c.upstream_size - c.expected_downstream));
  EXPECT_NE(a.extranonce1, b.extranonce1);
  // Same extranonce2 and nonce on the same job: different headers, so no work is done twice.
  stratum::ShareFields fa{a.extranonce1, a.extranonce2(1), a.job.ntime, 7, 0, 0};
  stratum::ShareFields fb{b.extranonce1, b.extranonce2(1), b.job.ntime, 7, 0, 0};
  EXPECT_NE(stratum::header_for_share(a.job, fa), stratum::header_for_share(b.job, fb));

  json sa = a.find_share(kUpstreamDifficulty, 1);
  json sb = b.find_share(kUpstreamDifficulty, 1);
  sb[0] = "rig.b";
  EXPECT_EQ(a.submit(sa)["result"], true);
  EXPECT_EQ(b.submit(sb)["result"], true);
  ASSERT_TRUE(wait_until([&] { return upstream->stats().accepted >= 2; }, 5s))
      << "accepted " << upstream->stats().accepted << " rejected " << upstream->stats().rejected;
  EXPECT_EQ(upstream->stats().rejected, 0u);
  EXPECT_EQ(upstream->stats().stale, 0u);
  const auto s = proxy->status();
  ASSERT_EQ(s.workers.size(), 2u);
  for (const auto& w : s.workers) {
    EXPECT_EQ(w.upstream_name, "acct." + w.name.substr(4));  // rig.a -> acct.a
    EXPECT_EQ(w.forwarded, 1u);
  }
  ASSERT_TRUE(wait_until(
      [&] {
        const auto st = proxy->status();
        return st.pools[0].accepted == 2;
      },
      5s));
  proxy->stop();
  upstream->stop();
}

INSTANTIATE_TEST_SUITE_P(UpstreamAndDownstreamSizes, ProxySplit,
                         ::testing::Values(SplitCase{4, std::nullopt, 2}, SplitCase{4, 3u, 3},
                                           SplitCase{8, std::nullopt, 6}, SplitCase{8, 2u, 2}));

TEST(ProxyForwarding, InvalidDownstreamSharesAreRefusedAndNeverForwarded) {
  auto upstream = start_upstream(4);
  ASSERT_TRUE(upstream);
  auto proxy = start_proxy(upstream->port(), std::nullopt);
  ASSERT_TRUE(proxy);
  Miner m;
  ASSERT_TRUE(m.connect(proxy->port(), "rig.a"));

  auto code = [](const json& r) { return r["error"].is_array() ? r["error"][0].get<int>() : 0; };
  json wrong_job = m.find_share(kDownstreamDifficulty, 2);
  wrong_job[1] = "no-such-job";
  EXPECT_EQ(code(m.submit(wrong_job)), 21);
  json short_en2 = m.find_share(kDownstreamDifficulty, 3);
  short_en2[2] = "00";
  EXPECT_EQ(code(m.submit(short_en2)), 20);
  json low = m.find_share(kDownstreamDifficulty, 4);
  // The same params with another nonce until its hash misses the downstream target.
  for (std::uint32_t nonce = 0;; ++nonce) {
    stratum::ShareFields f{m.extranonce1, m.extranonce2(4), m.job.ntime, nonce, 0, 0};
    const Hash256 h = kernels::sha256d(stratum::header_for_share(m.job, f));
    if (!hash_meets_target(h, *stratum::difficulty_to_target(kDownstreamDifficulty))) {
      low[4] = stratum::u32_to_be_hex(nonce);
      break;
    }
  }
  EXPECT_EQ(code(m.submit(low)), 23);
  // Good downstream, too weak for the pool: answered true, not forwarded.
  EXPECT_EQ(m.submit(m.find_share(kDownstreamDifficulty, 5, kUpstreamDifficulty))["result"], true);
  // Good for the pool: forwarded once; the duplicate is refused here.
  const json good = m.find_share(kUpstreamDifficulty, 6);
  EXPECT_EQ(m.submit(good)["result"], true);
  EXPECT_EQ(code(m.submit(good)), 22);
  // Stale: a clean job upstream retires the old one downstream too.
  const json old = m.find_share(kUpstreamDifficulty, 7);
  upstream->new_job(true);
  ASSERT_TRUE(m.take_job(5s));
  EXPECT_EQ(code(m.submit(old)), 21);

  ASSERT_TRUE(wait_until([&] { return upstream->stats().accepted >= 1; }, 5s));
  std::this_thread::sleep_for(300ms);  // anything wrongly forwarded would have arrived by now
  const auto up = upstream->stats();
  EXPECT_EQ(up.accepted, 1u);
  EXPECT_EQ(up.rejected, 0u);
  EXPECT_EQ(up.stale, 0u);
  const auto s = proxy->status();
  ASSERT_EQ(s.workers.size(), 1u);
  EXPECT_EQ(s.workers[0].shares_invalid, 5u);
  EXPECT_EQ(s.workers[0].shares_valid, 2u);
  EXPECT_EQ(s.workers[0].forwarded, 1u);
  proxy->stop();
  upstream->stop();
}

TEST(ProxyForwarding, ASplitLeavingMinersUnderTwoBytesIsRefusedAtStart) {
  proxy::ProxyOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  proxy::ProxyPool pool;
  pool.name = "up";
  pool.host = "127.0.0.1";
  pool.port = 1;
  o.config.main = {pool};
  o.config.extranonce2_size = 1;
  auto proxy = proxy::ProxyService::start(std::move(o));
  ASSERT_FALSE(proxy.ok());
  EXPECT_NE(proxy.error().message.find("at least 2 bytes"), std::string::npos)
      << proxy.error().message;
}

}  // namespace
