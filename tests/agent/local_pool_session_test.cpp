// The local pool's protocol side, fed lines directly.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <string>
#include <vector>

#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "local_pool/pool_session.hpp"
#include "local_pool/synthetic_job.hpp"

namespace {

using namespace ih;
using namespace ih::agent::local_pool;
using nlohmann::json;

const double kEasy = 1.0 / (1u << 28);  // one hash in 16 is a share

class SessionTest : public ::testing::Test {
 protected:
  SessionTest() : jobs_(7) {
    book_.add(jobs_.next(true));
    SessionOptions options;
    options.initial_difficulty = kEasy;
    options.min_difficulty = 1e-12;
    session_ = std::make_unique<PoolSession>(en1_, options, book_, totals_, Clock::now());
  }

  std::vector<json> send(const json& msg) {
    std::vector<json> out;
    for (const auto& line : session_->on_line(msg.dump(), Clock::now()))
      out.push_back(json::parse(line));
    return out;
  }

  void handshake() {
    auto sub = send({{"id", 1}, {"method", "mining.subscribe"}, {"params", json::array()}});
    ASSERT_EQ(sub.size(), 1u);
    EXPECT_EQ(sub[0]["result"][1], stratum::to_hex(en1_));
    EXPECT_EQ(sub[0]["result"][2], kExtranonce2Size);
    auto conf = send({{"id", 2},
                      {"method", "mining.configure"},
                      {"params", {{"version-rolling"}, {{"version-rolling.mask", "ffffffff"}}}}});
    EXPECT_EQ(conf[0]["result"]["version-rolling.mask"], "1fffe000");
    auto auth = send({{"id", 3}, {"method", "mining.authorize"}, {"params", {"w", "x"}}});
    ASSERT_EQ(auth.size(), 3u);  // reply, set_difficulty, notify
    EXPECT_EQ(auth[0]["result"], true);
    EXPECT_EQ(auth[1]["method"], "mining.set_difficulty");
    EXPECT_EQ(auth[2]["method"], "mining.notify");
    EXPECT_EQ(auth[2]["params"][8], true);
  }

  // Submit params for the newest job with the share hash meeting (or not) the difficulty.
  json share(bool good, std::uint32_t version_bits = 0, std::uint8_t en2_tag = 9) {
    const stratum::JobFields& job = *book_.newest();
    const stratum::Bytes en2 = {0, 0, 0, en2_tag};
    const Uint256 target = *stratum::difficulty_to_target(kEasy);
    for (std::uint32_t nonce = 0;; ++nonce) {
      stratum::ShareFields f{en1_, en2, job.ntime, nonce, version_bits, 0x1fffe000};
      const Hash256 h = kernels::sha256d(stratum::header_for_share(job, f));
      if (hash_meets_target(h, target) == good)
        return {"w",
                job.job_id,
                stratum::to_hex(en2),
                stratum::u32_to_be_hex(job.ntime),
                stratum::u32_to_be_hex(nonce),
                stratum::u32_to_be_hex(version_bits)};
    }
  }

  json submit(const json& params) {
    auto r = send({{"id", 9}, {"method", "mining.submit"}, {"params", params}});
    return r.at(0);
  }

  SyntheticJobs jobs_;
  JobBook book_;
  PoolTotals totals_;
  stratum::Bytes en1_ = {0, 0, 0, 1};
  std::unique_ptr<PoolSession> session_;
};

TEST_F(SessionTest, AcceptsAGoodShareAndRejectsEveryKindOfBadOne) {
  handshake();
  const json good = share(true, 0x00006000);
  EXPECT_EQ(submit(good)["result"], true);
  EXPECT_EQ(submit(good)["error"][0], 22);          // duplicate
  EXPECT_EQ(submit(share(false))["error"][0], 23);  // low difficulty
  json unknown = share(true);
  unknown[1] = "nope";
  EXPECT_EQ(submit(unknown)["error"][0], 21);
  EXPECT_EQ(submit(share(true, 0x00000001))["error"][0], 20);  // outside the mask
  json bad_worker = share(true);
  bad_worker[0] = "mallory";
  EXPECT_EQ(submit(bad_worker)["error"][0], 24);
  EXPECT_EQ(totals_.accepted_count(), 1u);
  EXPECT_EQ(totals_.rejected_count(), 4u);
  EXPECT_EQ(totals_.stale_count(), 1u);  // the unknown job
  EXPECT_EQ(totals_.reject_reasons().at("duplicate share"), 1u);
}

TEST_F(SessionTest, CleanJobMakesOlderSharesStale) {
  handshake();
  const json old_share = share(true);
  const auto job = jobs_.next(true);
  book_.add(job);
  const auto lines = session_->on_job(job);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(json::parse(lines[0])["params"][8], true);
  EXPECT_EQ(submit(old_share)["error"][0], 21);
  EXPECT_EQ(submit(share(true))["result"], true);
}

TEST_F(SessionTest, NoJobsBeforeAuthorize) {
  send({{"id", 1}, {"method", "mining.subscribe"}, {"params", json::array()}});
  EXPECT_TRUE(session_->on_job(jobs_.next(true)).empty());
  EXPECT_EQ(submit(share(true))["error"][0], 24);
}

TEST_F(SessionTest, VardiffLowersDifficultyWhenSharesDoNotCome) {
  handshake();
  const double before = session_->difficulty();
  const auto lines = session_->on_tick(Clock::now() + std::chrono::seconds(10));
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(json::parse(lines[0])["method"], "mining.set_difficulty");
  EXPECT_DOUBLE_EQ(session_->difficulty(), before * 0.25);
  EXPECT_EQ(json::parse(lines[1])["params"][8], false);  // same job, not clean
}

TEST_F(SessionTest, VardiffRaisesDifficultyFastWhenSharesPourIn) {
  handshake();
  const double before = session_->difficulty();
  for (std::uint8_t i = 0; i < 20; ++i) EXPECT_EQ(submit(share(true, 0, i))["result"], true);
  const auto lines = session_->on_tick(Clock::now() + std::chrono::milliseconds(300));
  ASSERT_FALSE(lines.empty());
  EXPECT_GT(session_->difficulty(), before * 4);
}

// A pool that knows its account holders: another worker name is refused at authorize.
TEST(LocalPoolSession, ExpectedUserIsTheOnlyOneAuthorized) {
  JobBook book;
  SyntheticJobs jobs(7);
  book.add(jobs.next(true));
  PoolTotals totals;
  SessionOptions options;
  options.expected_user = "alice.rig1";
  PoolSession session({1, 2, 3, 4}, options, book, totals, Clock::now());
  auto send = [&](const json& msg) {
    const auto lines = session.on_line(msg.dump(), Clock::now());
    return lines.empty() ? json() : json::parse(lines[0]);
  };
  send({{"id", 1}, {"method", "mining.subscribe"}, {"params", json::array()}});
  const json bob = send({{"id", 2}, {"method", "mining.authorize"}, {"params", {"bob", "x"}}});
  EXPECT_EQ(bob["error"][0], 24) << bob.dump();
  const json alice =
      send({{"id", 3}, {"method", "mining.authorize"}, {"params", {"alice.rig1", "x"}}});
  EXPECT_EQ(alice["result"], true) << alice.dump();
}

}  // namespace
