// The simulated miners' pieces, and the miners against a tiny scripted Stratum server that sends
// what the local pool never does (set_extranonce, client.reconnect, garbage, overlong lines,
// rejections). Against the built-in local pool: sim_fleet_local_pool_test.cpp.
#include "sim_miner.hpp"

#include <gtest/gtest.h>

#include <dirent.h>
#include <asio.hpp>
#include <cmath>
#include <cstdio>
#include <deque>
#include <functional>
#include <list>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "ih/stratum/server/server_session.hpp"
#include "local_pool/local_pool.hpp"
#include "scripted_pool.hpp"
#include "sim_nonce_scan.hpp"
#include "sim_test_helpers.hpp"
#include "sim_token_bucket.hpp"
#include "wait_until.hpp"

namespace ih::test {
namespace {

using json = nlohmann::json;
using namespace std::chrono_literals;

// The protocol documentation's worked example job (a testnet block), and a low share
// difficulty so a miner at tens of kH/s submits several shares a second.
const std::vector<std::string> kBranch = {};
stratum::JobFields example_job() {
  return *stratum::decode_job_fields(
      "bf", "4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000",
      "01000000010000000000000000000000000000000000000000000000000000000000000000ffffffff200208"
      "62062f503253482f04b8864e5008",
      "072f736c7573682f000000000100f2052a010000001976a914d23fcdf86f7e756a64a7a9688ef9903327048e"
      "d988ac00000000",
      kBranch, "00000002", "1c2ac4af", "504e86b9", true);
}
std::string example_notify() {
  const auto job = example_job();
  return json{{"id", nullptr},
              {"method", "mining.notify"},
              {"params",
               {"bf", "4d16b6f85af6e2198f44ae2a6de67f78487ae5611b77c6c0440b921e00000000",
                stratum::to_hex(job.coinb1), stratum::to_hex(job.coinb2), json::array(), "00000002",
                "1c2ac4af", "504e86b9", true}}}
      .dump();
}
constexpr double kScriptedDifficulty = 1.0 / (1 << 20);  // one share per 4 096 hashes

// What a plain pool answers, with this connection's extranonce1 and extranonce2 size.
ScriptedPool::Reply standard_pool(std::function<std::string(std::size_t)> extranonce1,
                                  std::size_t extranonce2_size = 4,
                                  std::function<std::string(const json&)> on_submit = {},
                                  double difficulty = kScriptedDifficulty) {
  return [=](std::size_t connection, const json& r) -> std::vector<std::string> {
    const std::string method = r.value("method", "");
    auto result = [&](json value) {
      return json{{"id", r["id"]}, {"result", std::move(value)}, {"error", nullptr}}.dump();
    };
    if (method == "mining.configure")
      return {result({{"version-rolling", true}, {"version-rolling.mask", "1fffe000"}})};
    if (method == "mining.subscribe")
      return {result(json::array({json::array({json::array({"mining.notify", "s1"})}),
                                  extranonce1(connection), extranonce2_size}))};
    if (method == "mining.authorize")
      return {result(true),
              json{{"id", nullptr}, {"method", "mining.set_difficulty"}, {"params", {difficulty}}}
                  .dump(),
              example_notify()};
    if (method == "mining.submit" && on_submit) return {on_submit(r)};
    return {result(true)};
  };
}

// True when the submit's header, rebuilt with this extranonce1, meets the scripted difficulty
// and its extranonce2 has the expected size.
::testing::AssertionResult submit_is_valid(const json& submit, const std::string& extranonce1_hex,
                                           std::size_t extranonce2_size,
                                           std::uint32_t mask = kMask) {
  const auto& p = submit["params"];
  if (!p.is_array() || p.size() != 6) return ::testing::AssertionFailure() << submit.dump();
  auto en2 = stratum::from_hex(p[2].get<std::string>(), extranonce2_size);
  if (!en2)
    return ::testing::AssertionFailure()
           << "extranonce2 " << p[2] << " is not " << extranonce2_size << " bytes";
  const auto version_bits = *stratum::u32_from_be_hex(p[5].get<std::string>());
  if ((version_bits & ~mask) != 0)
    return ::testing::AssertionFailure() << "version bits " << p[5] << " outside the mask";
  const stratum::ShareFields share{*stratum::from_hex(extranonce1_hex),
                                   *en2,
                                   *stratum::u32_from_be_hex(p[3].get<std::string>()),
                                   *stratum::u32_from_be_hex(p[4].get<std::string>()),
                                   version_bits,
                                   mask};
  const Hash256 hash = kernels::sha256d(stratum::header_for_share(example_job(), share));
  if (!hash_meets_target(hash, *stratum::difficulty_to_target(kScriptedDifficulty)))
    return ::testing::AssertionFailure() << "header with extranonce1 " << extranonce1_hex
                                         << " misses the target: " << submit.dump();
  return ::testing::AssertionSuccess();
}

std::vector<std::string> methods(const std::vector<json>& requests) {
  std::vector<std::string> out;
  for (const auto& r : requests) out.push_back(r.value("method", ""));
  return out;
}

std::unique_ptr<SimFleet> start_one(std::uint16_t port, double hashrate,
                                    SimFleetOptions options = {}) {
  auto fleet = SimFleet::start("127.0.0.1", port, {{"acct.sim0", "x", hashrate}}, options);
  EXPECT_TRUE(fleet.ok()) << (fleet.ok() ? "" : fleet.error().message);
  return fleet.ok() ? std::move(*fleet) : nullptr;
}

// --- pieces --------------------------------------------------------------------------------

TEST(SimMinerPieces, DepositBitsFillsTheMaskLowestBitFirst) {
  EXPECT_EQ(sim::deposit_bits(0, kMask), 0u);
  EXPECT_EQ(sim::deposit_bits(1, kMask), 0x00002000u);
  EXPECT_EQ(sim::deposit_bits(0b101, kMask), 0x0000a000u);
  EXPECT_EQ(sim::deposit_bits(0xffff, kMask), kMask);
  EXPECT_EQ(sim::deposit_bits(0x1ffff, kMask), kMask);  // bits past the mask are dropped
  EXPECT_EQ(sim::deposit_bits(0b11, 0x80000001u), 0x80000001u);
}

TEST(SimMinerPieces, TokenBucketPacesAndCountsWhatOverflows) {
  sim::TokenBucket bucket(1000, 0.05);  // 1 000 H/s, at most 50 hashes banked
  const auto t0 = SimClock::time_point{} + 1h;
  bucket.restart(t0);
  bucket.refill(t0 + 20ms);
  EXPECT_EQ(bucket.available(), 20u);
  bucket.take(20);
  bucket.refill(t0 + 120ms);  // 100 owed, 50 fit
  EXPECT_EQ(bucket.available(), 50u);
  EXPECT_EQ(bucket.missed(), 50u);
}

TEST(SimMinerPieces, ScanFindsSharesThatVerifyAndRollsTheVersion) {
  auto scanner = kernels::make_reference_scanner();
  sim::NonceScan scan;
  const stratum::Bytes en1 = {1, 2, 3, 4};
  const auto target = *stratum::difficulty_to_target(kScriptedDifficulty);
  scan.start({example_job(), en1, 4, kMask}, target, 7, 3);
  std::vector<sim::FoundShare> shares;
  EXPECT_EQ(scan.scan(*scanner, 40000, shares), 40000u);
  // Deterministic (fixed header); ~10 expected at this difficulty.
  ASSERT_FALSE(shares.empty());
  for (const auto& s : shares) {
    ASSERT_TRUE(s.version_bits.has_value());
    EXPECT_EQ(*s.version_bits, sim::deposit_bits(3, kMask));
    EXPECT_EQ(s.extranonce2, (stratum::Bytes{7, 0, 0, 0}));
    const stratum::ShareFields f{en1, s.extranonce2, s.ntime, s.nonce, *s.version_bits, kMask};
    EXPECT_TRUE(
        hash_meets_target(kernels::sha256d(stratum::header_for_share(example_job(), f)), target));
  }
}

TEST(SimMinerPieces, BadSpecsAndOptionsAreRefusedWithTheReason) {
  auto zero = SimFleet::start("127.0.0.1", 1, {{"a.w", "x", 1000}, {"b.w", "x", 0}}, {});
  ASSERT_FALSE(zero.ok());
  EXPECT_NE(zero.error().message.find("sim miner 1 (b.w)"), std::string::npos);
  EXPECT_NE(zero.error().message.find("hashrate_hs"), std::string::npos);
  auto nan = SimFleet::start("127.0.0.1", 1, {{"a.w", "x", std::nan("")}}, {});
  ASSERT_FALSE(nan.ok());
  auto nameless = SimFleet::start("127.0.0.1", 1, {{"", "x", 1000}}, {});
  ASSERT_FALSE(nameless.ok());
  EXPECT_NE(nameless.error().message.find("user is empty"), std::string::npos);
  SimFleetOptions options;
  options.hash_duty = 0;
  auto duty = SimFleet::start("127.0.0.1", 1, {{"a.w", "x", 1000}}, options);
  ASSERT_FALSE(duty.ok());
  EXPECT_NE(duty.error().message.find("hash_duty"), std::string::npos);
  options = {};
  options.scanner = "no-such-kernel";
  auto scanner = SimFleet::start("127.0.0.1", 1, {{"a.w", "x", 1000}}, options);
  ASSERT_FALSE(scanner.ok());
  EXPECT_NE(scanner.error().message.find("no-such-kernel"), std::string::npos);
  EXPECT_FALSE(SimFleet::start("127.0.0.1", 1, {}, {}).ok());
}

// --- against the scripted server -----------------------------------------------------------

std::string en1_for(std::size_t connection) {
  return "c0ffee0" + std::to_string(connection);
}

TEST(SimFleetScripted, HandshakeIsConfigureSubscribeExtranonceSubscribeAuthorize) {
  ScriptedPool pool(standard_pool(en1_for));
  auto fleet = start_one(pool.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= 2; }, 10s));
  const auto requests = pool.received(0);
  ASSERT_GE(requests.size(), 4u);
  EXPECT_EQ(methods(requests)[0], "mining.configure");
  EXPECT_EQ(requests[0]["params"][1]["version-rolling.mask"], "1fffe000");
  EXPECT_EQ(requests[0]["params"][1]["version-rolling.min-bit-count"], 2);
  EXPECT_EQ(methods(requests)[1], "mining.subscribe");
  EXPECT_EQ(requests[1]["params"][0], "bmminer/2.0.0");
  EXPECT_EQ(methods(requests)[2], "mining.extranonce.subscribe");
  EXPECT_EQ(methods(requests)[3], "mining.authorize");
  EXPECT_EQ(requests[3]["params"], json::array({"acct.sim0", "x"}));
  for (const auto& submit : pool.submits(0)) {
    EXPECT_EQ(submit["params"][0], "acct.sim0");
    EXPECT_EQ(submit["params"][1], "bf");
    EXPECT_TRUE(submit_is_valid(submit, en1_for(0), 4));
  }
  const auto s = fleet->stats(0);
  EXPECT_TRUE(s.version_rolling);
  EXPECT_EQ(s.difficulty, kScriptedDifficulty);
  EXPECT_EQ(s.extranonce1, en1_for(0));
  EXPECT_EQ(s.last_job_id, "bf");
  EXPECT_GE(s.jobs, 1u);
}

TEST(SimFleetScripted, SetExtranonceAppliesToTheVeryNextSubmit) {
  ScriptedPool pool(standard_pool(en1_for));
  auto fleet = start_one(pool.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= 2; }, 10s));
  pool.send(0, R"({"id":null,"method":"mining.set_extranonce","params":["0a0b0c0d0e",3]})"
               "\n");
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).set_extranonce == 1; }, 5s));
  // Submits are written in order and `old` counts every one written before the change (and
  // perhaps a few after): the switch to the new extranonce happens once, at or before `old`.
  const std::uint64_t old = fleet->stats(0).shares_submitted;
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= old + 3; }, 10s));
  const auto submits = pool.submits(0);
  std::size_t first_new = 0;
  while (first_new < submits.size() && submit_is_valid(submits[first_new], en1_for(0), 4))
    ++first_new;
  EXPECT_GE(first_new, 2u);
  EXPECT_LE(first_new, old);
  for (std::size_t i = first_new; i < submits.size(); ++i)
    EXPECT_TRUE(submit_is_valid(submits[i], "0a0b0c0d0e", 3)) << "submit " << i;
  const auto s = fleet->stats(0);
  EXPECT_EQ(s.extranonce1, "0a0b0c0d0e");
  EXPECT_EQ(s.extranonce2_size, 3u);
  EXPECT_EQ(s.connects, 1u);
}

// The server session the proxy's downstream side runs, moving the miner to another pool's work
// (rebind: set_extranonce and a clean job, as the miner sent mining.extranonce.subscribe).
TEST(SimFleetScripted, TheServerSessionsRebindMovesTheMinerToTheNewWork) {
  struct State {
    std::mutex mutex;
    stratum::server::JobBook before, after;
    std::optional<stratum::server::ServerSession> session;
    std::map<std::string, int> accepted;  // by job id
    std::vector<int> rejection_codes;
    bool rebound = false;
  };
  auto state = std::make_shared<State>();
  stratum::JobFields next = example_job();
  next.job_id = "c1";
  next.ntime += 30;
  state->before.add(example_job());
  state->after.add(next);
  const stratum::Bytes en1_after = {0xab, 0xcd, 0xef, 0x01, 0x23};
  ScriptedPool pool([state, en1_after](std::size_t, const json& request) {
    std::lock_guard lock(state->mutex);
    if (!state->session) {
      stratum::server::ServerOptions options;
      options.initial_difficulty = kScriptedDifficulty;
      options.vardiff = false;
      state->session.emplace(stratum::Bytes{1, 2, 3, 4}, 4, options, &state->before,
                             stratum::server::Clock::now());
    }
    auto actions = state->session->on_line(request.dump(), stratum::server::Clock::now());
    if (actions.share) ++state->accepted[actions.share->job_id];
    if (actions.rejection) state->rejection_codes.push_back(actions.rejection->code);
    if (!state->rebound && state->accepted["bf"] >= 3)
      state->rebound = state->session->rebind(&state->after, en1_after, 3, actions.lines);
    return actions.lines;
  });
  auto fleet = start_one(pool.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until(
      [&] {
        std::lock_guard lock(state->mutex);
        return state->accepted["c1"] >= 3;
      },
      15s))
      << describe(fleet->stats(0));
  std::lock_guard lock(state->mutex);
  EXPECT_TRUE(state->rebound);
  // Only shares already on the wire when the miner switched may miss: stale, never invalid.
  for (int code : state->rejection_codes) EXPECT_EQ(code, 21);
  const auto s = fleet->stats(0);
  EXPECT_EQ(s.set_extranonce, 1u);
  EXPECT_EQ(s.extranonce1, "abcdef0123");
  EXPECT_EQ(s.extranonce2_size, 3u);
  EXPECT_EQ(s.last_job_id, "c1");
  EXPECT_EQ(s.connects, 1u);
}

TEST(SimFleetScripted, SetVersionMaskNarrowsTheRolledBitsAtOnce) {
  ScriptedPool pool(standard_pool(en1_for));
  auto fleet = start_one(pool.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= 2; }, 10s));
  pool.send(0, R"({"id":null,"method":"mining.set_version_mask","params":["00006000"]})"
               "\n");
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).version_mask == 0x6000; }, 5s));
  const std::uint64_t old = fleet->stats(0).shares_submitted;
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= old + 3; }, 10s));
  const auto submits = pool.submits(0);
  for (std::size_t i = old; i < submits.size(); ++i)
    EXPECT_TRUE(submit_is_valid(submits[i], en1_for(0), 4, 0x6000)) << i;
}

TEST(SimFleetScripted, AnImpossibleRateDegradesVisiblyAndTheMinerStaysResponsive) {
  // Difficulty 1: no share in the run, so only the pace is seen.
  ScriptedPool pool(standard_pool(en1_for, 4, {}, 1.0));
  SimFleetOptions options;
  options.hash_duty = 0.2;
  auto fleet = start_one(pool.port(), 1e10, options);  // 10 GH/s: no CPU thread does that
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).hashing; }, 10s));
  std::this_thread::sleep_for(500ms);
  pool.send(0, "garbage\n");
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).protocol_errors == 1; }, 2s));
  const auto s = fleet->stats(0);
  EXPECT_GT(s.hashes, 0u);
  EXPECT_GT(s.hashes_missed, 10 * s.hashes) << s.hashes << " done";
  EXPECT_TRUE(s.connected);
}

TEST(SimFleetScripted, ClientReconnectMovesToTheNamedPoolAndRedoesTheHandshake) {
  ScriptedPool second(standard_pool([](std::size_t c) { return "5ec0de0" + std::to_string(c); }));
  ScriptedPool first(standard_pool(en1_for));
  auto fleet = start_one(first.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return first.submits(0).size() >= 1; }, 10s));
  first.send(0, R"({"id":null,"method":"client.reconnect","params":["127.0.0.1",)" +
                    std::to_string(second.port()) + ",0]}\n");
  ASSERT_TRUE(wait_until([&] { return second.submits(0).size() >= 2; }, 10s))
      << describe(fleet->stats(0));
  EXPECT_EQ(methods(second.received(0))[0], "mining.configure");
  EXPECT_EQ(methods(second.received(0))[1], "mining.subscribe");
  EXPECT_EQ(methods(second.received(0))[3], "mining.authorize");
  for (const auto& submit : second.submits(0)) EXPECT_TRUE(submit_is_valid(submit, "5ec0de00", 4));
  auto s = fleet->stats(0);
  EXPECT_EQ(s.reconnects, 1u);
  EXPECT_EQ(s.connects, 2u);
  EXPECT_EQ(s.drops, 0u);
  EXPECT_EQ(s.extranonce1, "5ec0de00");

  // No host or port: the same pool again, after the wait it names.
  second.send(0, R"({"id":null,"method":"client.reconnect","params":[]})"
                 "\n");
  ASSERT_TRUE(wait_until([&] { return second.submits(1).size() >= 1; }, 10s));
  EXPECT_TRUE(submit_is_valid(second.submits(1)[0], "5ec0de01", 4));
  s = fleet->stats(0);
  EXPECT_EQ(s.reconnects, 2u);
  EXPECT_EQ(s.connects, 3u);
  EXPECT_EQ(first.connections(), 1u);
}

TEST(SimFleetScripted, ADroppedConnectionIsRetriedAfterTheBackoff) {
  ScriptedPool pool(standard_pool(en1_for));
  SimFleetOptions options;
  options.reconnect_backoff = 100ms;
  auto fleet = start_one(pool.port(), 40e3, options);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= 1; }, 10s));
  pool.close(0);
  ASSERT_TRUE(wait_until([&] { return pool.submits(1).size() >= 1; }, 10s));
  EXPECT_TRUE(submit_is_valid(pool.submits(1)[0], en1_for(1), 4));
  const auto s = fleet->stats(0);
  EXPECT_EQ(s.drops, 1u);
  EXPECT_EQ(s.reconnects, 0u);
  EXPECT_EQ(s.connects, 2u);
  EXPECT_EQ(fleet->connected(), 1u);
}

TEST(SimFleetScripted, GarbageIsAnEscapedErrorAndMiningGoesOn) {
  ScriptedPool pool(standard_pool(en1_for));
  auto fleet = start_one(pool.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= 1; }, 10s));
  pool.send(0, "not json \x1b[2J at all\n");
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).protocol_errors == 1; }, 5s));
  const std::size_t submitted = pool.submits(0).size();
  const auto s = fleet->stats(0);
  EXPECT_NE(s.last_error.find("unreadable line from the server"), std::string::npos);
  EXPECT_NE(s.last_error.find("\\x1b[2J"), std::string::npos) << s.last_error;
  EXPECT_EQ(s.last_error.find('\x1b'), std::string::npos);
  EXPECT_TRUE(s.connected);
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= submitted + 2; }, 10s));
  EXPECT_EQ(fleet->stats(0).connects, 1u);
}

TEST(SimFleetScripted, AnOverlongLineDropsTheConnection) {
  ScriptedPool pool(standard_pool(en1_for));
  SimFleetOptions options;
  options.max_line_bytes = 1024;
  options.reconnect_backoff = 50ms;
  auto fleet = start_one(pool.port(), 40e3, options);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).hashing; }, 10s));
  pool.send(0, std::string(2000, 'a'));
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).drops == 1; }, 5s));
  EXPECT_NE(fleet->stats(0).last_error.find("longer than 1024 bytes"), std::string::npos)
      << fleet->stats(0).last_error;
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).connects == 2; }, 5s));
}

TEST(SimFleetScripted, RejectedSharesAreCountedWithTheReason) {
  ScriptedPool pool(standard_pool(en1_for, 4, [](const json& r) {
    return json{{"id", r["id"]}, {"result", nullptr}, {"error", {23, "low difficulty", nullptr}}}
        .dump();
  }));
  auto fleet = start_one(pool.port(), 40e3);
  ASSERT_TRUE(fleet);
  ASSERT_TRUE(wait_until([&] { return fleet->stats(0).rejected >= 2; }, 10s));
  const auto s = fleet->stats(0);
  EXPECT_EQ(s.accepted, 0u);
  EXPECT_NE(s.last_reject_reason.find("low difficulty"), std::string::npos) << s.last_reject_reason;
}

TEST(SimFleetScripted, NoVersionRollingMeansFiveSubmitParams) {
  ScriptedPool pool(standard_pool(en1_for));
  auto started =
      SimFleet::start("127.0.0.1", pool.port(), {{"acct.old", "x", 40e3, false, false}}, {});
  ASSERT_TRUE(started.ok());
  auto& fleet = **started;
  ASSERT_TRUE(wait_until([&] { return pool.submits(0).size() >= 1; }, 10s));
  EXPECT_EQ(methods(pool.received(0))[0], "mining.subscribe");
  EXPECT_EQ(methods(pool.received(0))[1], "mining.authorize");
  EXPECT_EQ(pool.submits(0)[0]["params"].size(), 5u);
  EXPECT_FALSE(fleet.stats(0).version_rolling);
}

}  // namespace
}  // namespace ih::test
