// The pure server session (stratum/src/server) fed scripted lines: every method ASIC firmwares
// send, their quirks, and every check a share goes through.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "ih/stratum/server/server_session.hpp"

namespace {

using namespace ih;
using namespace ih::stratum::server;
using nlohmann::json;

const double kEasy = 1.0 / (1u << 28);  // one hash in 16 is a share
constexpr std::size_t kEn2Size = 4;

stratum::JobFields make_job(int n, bool clean) {
  stratum::JobFields j;
  j.job_id = "j" + std::to_string(n);
  for (std::size_t i = 0; i < j.prevhash_notify.size(); ++i)
    j.prevhash_notify[i] = static_cast<std::uint8_t>(i * 7 + n);
  j.coinb1 = {0x01, 0x00, 0x00, 0x00, 0x01, static_cast<std::uint8_t>(n)};
  j.coinb2 = {0xff, 0xff, 0xff, 0xff, 0x00};
  j.merkle_branch.push_back({});
  j.merkle_branch[0][0] = static_cast<std::uint8_t>(n);
  j.version = 0x20000000;
  j.nbits = 0x1d00ffff;
  j.ntime = 0x66000000 + n;
  j.clean_jobs = clean;
  return j;
}

class ServerSessionTest : public ::testing::Test {
 protected:
  ServerSessionTest() {
    book_.add(make_job(1, true));
    options_.initial_difficulty = kEasy;
    options_.min_difficulty = 1e-12;
    session_ = std::make_unique<ServerSession>(en1_, kEn2Size, options_, &book_, Clock::now());
  }

  void reset(ServerOptions options) {
    session_ = std::make_unique<ServerSession>(en1_, kEn2Size, options, &book_, Clock::now());
  }

  std::vector<json> send(const json& msg) { return lines(session_->on_line(msg.dump(), now_)); }

  std::vector<json> lines(const ServerActions& a) {
    last_ = a;
    std::vector<json> out;
    for (const auto& line : a.lines) out.push_back(json::parse(line));
    return out;
  }

  void handshake(const std::string& mask = "ffffffff") {
    auto sub = send({{"id", 1}, {"method", "mining.subscribe"}, {"params", {"bmminer/2.0.0"}}});
    ASSERT_EQ(sub.size(), 1u);
    EXPECT_EQ(sub[0]["result"][1], stratum::to_hex(en1_));
    EXPECT_EQ(sub[0]["result"][2], kEn2Size);
    auto conf = send({{"id", 2},
                      {"method", "mining.configure"},
                      {"params", {{"version-rolling"}, {{"version-rolling.mask", mask}}}}});
    EXPECT_EQ(conf[0]["result"]["version-rolling"], true);
    auto auth = send({{"id", 3}, {"method", "mining.authorize"}, {"params", {"acct.w1", "x"}}});
    ASSERT_EQ(auth.size(), 3u);  // reply, set_difficulty, notify
    EXPECT_EQ(auth[0]["result"], true);
    EXPECT_EQ(auth[1]["method"], "mining.set_difficulty");
    EXPECT_EQ(auth[2]["method"], "mining.notify");
    EXPECT_EQ(auth[2]["params"][8], true);
  }

  // Submit params for the newest job whose hash meets (or not) the difficulty.
  json share(bool good, std::uint32_t version_bits = 0, std::uint8_t en2_tag = 9,
             const stratum::Bytes* en1 = nullptr, std::size_t en2_size = kEn2Size) {
    const stratum::JobFields& job = *book_.newest();
    stratum::Bytes en2(en2_size, 0);
    en2.back() = en2_tag;
    const Uint256 target = *stratum::difficulty_to_target(kEasy);
    for (std::uint32_t nonce = 0;; ++nonce) {
      stratum::ShareFields f{en1 ? *en1 : en1_, en2, job.ntime, nonce, version_bits, 0x1fffe000};
      const Hash256 h = kernels::sha256d(stratum::header_for_share(job, f));
      if (hash_meets_target(h, target) == good)
        return {"acct.w1",
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

  JobBook book_;
  ServerOptions options_;
  stratum::Bytes en1_ = {0, 0, 0, 1};
  std::unique_ptr<ServerSession> session_;
  Clock::time_point now_ = Clock::now();
  ServerActions last_;
};

TEST_F(ServerSessionTest, AGoodShareComesOutWithItsHeaderAndEveryBadKindIsRefused) {
  handshake();
  const json good = share(true, 0x00006000);
  EXPECT_EQ(submit(good)["result"], true);
  ASSERT_TRUE(last_.share);
  EXPECT_EQ(last_.share->worker, "acct.w1");
  EXPECT_EQ(kernels::sha256d(last_.share->header), last_.share->hash);
  EXPECT_EQ(last_.share->fields.version_bits, 0x00006000u);
  EXPECT_DOUBLE_EQ(last_.share->difficulty, kEasy);
  EXPECT_FALSE(last_.rejection);

  auto code_of = [&](const json& params) {
    const json r = submit(params);
    EXPECT_FALSE(last_.share) << params.dump();
    EXPECT_TRUE(last_.rejection) << params.dump();
    return r["error"][0].get<int>();
  };
  EXPECT_EQ(code_of(good), 22);          // duplicate
  EXPECT_EQ(code_of(share(false)), 23);  // low difficulty
  json unknown = share(true);
  unknown[1] = "nope";
  EXPECT_EQ(code_of(unknown), 21);                        // stale: job gone
  EXPECT_EQ(code_of(share(true, 0x00000001)), 20);        // outside the mask
  EXPECT_EQ(code_of(share(true, 0, 3, nullptr, 3)), 20);  // extranonce2 of the wrong size
  json bad_worker = share(true);
  bad_worker[0] = "mallory";
  EXPECT_EQ(code_of(bad_worker), 24);
  json late = share(true);
  late[3] = stratum::u32_to_be_hex(book_.newest()->ntime + 7201);
  EXPECT_EQ(code_of(late), 20);
  EXPECT_EQ(code_of(json::array({"acct.w1", "j1"})), 20);  // too few params
}

TEST_F(ServerSessionTest, ACleanJobMakesOlderSharesStale) {
  handshake();
  const json old_share = share(true);
  const auto job = make_job(2, true);
  book_.add(job);
  const auto out = session_->on_job(job);
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(json::parse(out[0])["params"][8], true);
  EXPECT_EQ(submit(old_share)["error"][0], 21);
  EXPECT_EQ(submit(share(true))["result"], true);
}

TEST_F(ServerSessionTest, NoJobsBeforeAuthorize) {
  send({{"id", 1}, {"method", "mining.subscribe"}, {"params", json::array()}});
  EXPECT_TRUE(session_->on_job(make_job(2, false)).empty());
  EXPECT_EQ(submit(share(true))["error"][0], 24);
}

// Some firmwares pipeline authorize before (or without waiting for) subscribe's reply.
TEST_F(ServerSessionTest, AuthorizeBeforeSubscribeStartsWorkOnceSubscribed) {
  auto auth = send({{"id", 1}, {"method", "mining.authorize"}, {"params", {"acct.w1", ""}}});
  ASSERT_EQ(auth.size(), 1u);
  EXPECT_EQ(auth[0]["result"], true);
  auto sub = send({{"id", 2}, {"method", "mining.subscribe"}, {"params", json::array()}});
  ASSERT_EQ(sub.size(), 3u);  // reply, set_difficulty, notify
  EXPECT_EQ(sub[2]["method"], "mining.notify");
}

TEST_F(ServerSessionTest, UserAgentIsKeptAndCapped) {
  send({{"id", 1}, {"method", "mining.subscribe"}, {"params", {"cgminer/4.11.1", "sid1"}}});
  EXPECT_EQ(session_->user_agent(), "cgminer/4.11.1");
  send({{"id", 2}, {"method", "mining.subscribe"}, {"params", {std::string(500, 'a')}}});
  EXPECT_EQ(session_->user_agent().size(), 128u);
}

TEST_F(ServerSessionTest, ConfigureNegotiatesEachExtension) {
  auto r = send({{"id", 1},
                 {"method", "mining.configure"},
                 {"params",
                  {{"version-rolling", "minimum-difficulty", "subscribe-extranonce", "info"},
                   {{"version-rolling.mask", "00fff000"},
                    {"version-rolling.min-bit-count", 2},
                    {"minimum-difficulty.value", 2048}}}}});
  ASSERT_EQ(r.size(), 1u);
  const json& res = r[0]["result"];
  EXPECT_EQ(res["version-rolling"], true);
  EXPECT_EQ(res["version-rolling.mask"], "00ffe000");  // the miner's ∩ the server's
  EXPECT_EQ(res["minimum-difficulty"], false);         // this server does not take suggestions
  EXPECT_EQ(res["subscribe-extranonce"], true);
  EXPECT_EQ(res["info"], false);
  EXPECT_EQ(session_->version_mask(), 0x00ffe000u);
  EXPECT_TRUE(session_->extranonce_subscribed());
}

TEST_F(ServerSessionTest, TooFewRollableBitsRefusesVersionRolling) {
  auto r =
      send({{"id", 1},
            {"method", "mining.configure"},
            {"params",
             {{"version-rolling"},
              {{"version-rolling.mask", "00006000"}, {"version-rolling.min-bit-count", 16}}}}});
  EXPECT_EQ(r[0]["result"]["version-rolling"], false);
  EXPECT_EQ(session_->version_mask(), 0u);
}

TEST_F(ServerSessionTest, SuggestedDifficultyIsHonouredWithinTheBoundsWhenAllowed) {
  ServerOptions o = options_;
  o.honor_suggested_difficulty = true;
  o.min_difficulty = 1.0 / 1024;
  o.max_difficulty = 4096;
  reset(o);
  auto r = send({{"id", 1}, {"method", "mining.suggest_difficulty"}, {"params", {"512"}}});
  EXPECT_EQ(r[0]["result"], true);
  EXPECT_DOUBLE_EQ(session_->difficulty(), 512);
  send({{"id", 2}, {"method", "mining.suggest_difficulty"}, {"params", {1e9}}});
  EXPECT_DOUBLE_EQ(session_->difficulty(), 4096);
  send({{"id", 3}, {"method", "mining.suggest_difficulty"}, {"params", {1e-9}}});
  EXPECT_DOUBLE_EQ(session_->difficulty(), 1.0 / 1024);
  r = send({{"id", 4}, {"method", "mining.suggest_difficulty"}, {"params", {"junk"}}});
  EXPECT_EQ(r[0]["result"], false);
  EXPECT_DOUBLE_EQ(session_->difficulty(), 1.0 / 1024);
  // Once working, a suggestion is answered with the new difficulty straight away.
  handshake();
  r = send({{"id", 5}, {"method", "mining.suggest_difficulty"}, {"params", {8}}});
  ASSERT_EQ(r.size(), 2u);
  EXPECT_EQ(r[1]["method"], "mining.set_difficulty");
  EXPECT_EQ(r[1]["params"][0], 8.0);
  // minimum-difficulty raises the floor.
  r = send({{"id", 6},
            {"method", "mining.configure"},
            {"params", {{"minimum-difficulty"}, {{"minimum-difficulty.value", 64}}}}});
  EXPECT_EQ(r[0]["result"]["minimum-difficulty"], true);
  EXPECT_DOUBLE_EQ(session_->difficulty(), 64);
}

TEST_F(ServerSessionTest, TheLocalPoolIgnoresSuggestions) {
  auto r = send({{"id", 1}, {"method", "mining.suggest_difficulty"}, {"params", {512}}});
  EXPECT_EQ(r[0]["result"], true);
  EXPECT_DOUBLE_EQ(session_->difficulty(), kEasy);
}

TEST_F(ServerSessionTest, SmallMethodsAndKeepAlivesAreAnsweredOrIgnoredAsFirmwaresExpect) {
  EXPECT_TRUE(lines(session_->on_line("", now_)).empty());
  EXPECT_TRUE(lines(session_->on_line("  \r", now_)).empty());
  EXPECT_TRUE(last_.protocol_error.empty());
  auto r = send({{"id", 1}, {"method", "mining.extranonce.subscribe"}, {"params", json::array()}});
  EXPECT_EQ(r[0]["result"], true);
  EXPECT_TRUE(session_->extranonce_subscribed());
  r = send({{"id", 2}, {"method", "mining.multi_version"}, {"params", {4}}});
  EXPECT_EQ(r[0]["result"], true);
  r = send({{"id", 3}, {"method", "mining.ping"}, {"params", json::array()}});
  EXPECT_EQ(r[0]["result"], "pong");
  // A reply to something the server sent (e.g. client.get_version): nothing to answer.
  EXPECT_TRUE(send({{"id", 7}, {"result", "bmminer/2.0.0"}, {"error", nullptr}}).empty());
  r = send({{"id", 4}, {"method", "mining.get_transactions"}, {"params", {"j1"}}});
  EXPECT_EQ(r[0]["error"][0], 20);
  EXPECT_FALSE(last_.protocol_error.empty());
  EXPECT_TRUE(lines(session_->on_line("\x1b[2J not json", now_)).empty());
  EXPECT_EQ(last_.protocol_error, "not a JSON-RPC object");
}

TEST_F(ServerSessionTest, SeveralWorkersOnOneConnectionAndAnyPassword) {
  handshake();
  auto r = send({{"id", 4}, {"method", "mining.authorize"}, {"params", {"acct.w2", "anything"}}});
  ASSERT_EQ(r.size(), 1u);  // already working: just the reply
  EXPECT_EQ(r[0]["result"], true);
  json as_w2 = share(true, 0, 5);
  as_w2[0] = "acct.w2";
  EXPECT_EQ(submit(as_w2)["result"], true);
  EXPECT_EQ(last_.share->worker, "acct.w2");
  EXPECT_EQ(session_->workers().size(), 2u);
}

TEST_F(ServerSessionTest, ExpectedUserIsTheOnlyOneAuthorized) {
  ServerOptions o = options_;
  o.expected_user = "alice.rig1";
  reset(o);
  send({{"id", 1}, {"method", "mining.subscribe"}, {"params", json::array()}});
  auto bob = send({{"id", 2}, {"method", "mining.authorize"}, {"params", {"bob", "x"}}});
  EXPECT_EQ(bob[0]["error"][0], 24);
  EXPECT_FALSE(last_.protocol_error.empty());
  auto alice = send({{"id", 3}, {"method", "mining.authorize"}, {"params", {"alice.rig1", "x"}}});
  EXPECT_EQ(alice[0]["result"], true);
}

// Firmwares that send the whole rolled version instead of the rolled bits.
TEST_F(ServerSessionTest, AWholeRolledVersionIsTakenAsItsRolledBits) {
  handshake();
  json p = share(true, 0x0000e000, 6);
  p[5] = stratum::u32_to_be_hex(0x2000e000);
  EXPECT_EQ(submit(p)["result"], true);
  EXPECT_EQ(last_.share->fields.version_bits, 0x0000e000u);
}

TEST_F(ServerSessionTest, RebindSendsTheNewExtranonceToSubscribersAndRetiresOldWork) {
  send({{"id", 1}, {"method", "mining.extranonce.subscribe"}, {"params", json::array()}});
  handshake();
  const json old_share = share(true);
  JobBook other;
  other.add(make_job(5, true));
  const stratum::Bytes en1b = {0, 0, 0, 1, 0xaa};
  std::vector<std::string> out;
  ASSERT_TRUE(session_->rebind(&other, en1b, 3, out));
  ASSERT_EQ(out.size(), 2u);
  const json set = json::parse(out[0]);
  EXPECT_EQ(set["method"], "mining.set_extranonce");
  EXPECT_EQ(set["params"][0], "00000001aa");
  EXPECT_EQ(set["params"][1], 3);
  EXPECT_EQ(json::parse(out[1])["params"][0], "j5");
  EXPECT_EQ(json::parse(out[1])["params"][8], true);
  EXPECT_EQ(submit(old_share)["error"][0], 21);
}

TEST_F(ServerSessionTest, RebindWithoutExtranonceSubscriptionLeavesTheReconnectToTheOwner) {
  handshake();
  JobBook other;
  other.add(make_job(5, true));
  std::vector<std::string> out;
  EXPECT_FALSE(session_->rebind(&other, {9, 9, 9, 9}, 4, out));
  EXPECT_TRUE(out.empty());
}

TEST_F(ServerSessionTest, VardiffLowersDifficultyWhenSharesDoNotCome) {
  handshake();
  const double before = session_->difficulty();
  const auto out = session_->on_tick(Clock::now() + std::chrono::seconds(10));
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(json::parse(out[0])["method"], "mining.set_difficulty");
  EXPECT_DOUBLE_EQ(session_->difficulty(), before * 0.25);
  EXPECT_EQ(json::parse(out[1])["params"][8], false);  // same job, not clean
}

TEST_F(ServerSessionTest, VardiffRaisesDifficultyFastWhenSharesPourInButNotPastTheCap) {
  ServerOptions o = options_;
  o.max_difficulty = kEasy * 2;
  reset(o);
  handshake();
  for (std::uint8_t i = 0; i < 20; ++i) EXPECT_EQ(submit(share(true, 0, i))["result"], true);
  const auto out = session_->on_tick(Clock::now() + std::chrono::milliseconds(300));
  ASSERT_FALSE(out.empty());
  EXPECT_DOUBLE_EQ(session_->difficulty(), kEasy * 2);
}

TEST_F(ServerSessionTest, SharesMadeBeforeARetargetStillCountAtTheOldDifficulty) {
  handshake();
  const json made_easy = share(true, 0, 11);
  session_->set_difficulty(kEasy * 1e6);  // a share at kEasy cannot meet this
  EXPECT_EQ(submit(made_easy)["result"], true);
  EXPECT_DOUBLE_EQ(last_.share->difficulty, kEasy);  // credited at what it met
}

TEST_F(ServerSessionTest, ASharePastARaiseIsCreditedAtTheRaisedDifficulty) {
  handshake();
  session_->set_difficulty(kEasy * 2);
  // A share meeting the raised difficulty (hash under half the easy target).
  for (std::uint8_t tag = 20;; ++tag) {
    const json p = share(true, 0, tag);
    const stratum::JobFields& job = *book_.newest();
    stratum::ShareFields f{en1_,      {0, 0, 0, tag},
                           job.ntime, *stratum::u32_from_be_hex(p[4].get<std::string>()),
                           0,         0x1fffe000};
    const Hash256 h = kernels::sha256d(stratum::header_for_share(job, f));
    if (!hash_meets_target(h, *stratum::difficulty_to_target(kEasy * 2))) continue;
    EXPECT_EQ(submit(p)["result"], true);
    EXPECT_DOUBLE_EQ(last_.share->difficulty, kEasy * 2);
    break;
  }
}

}  // namespace
