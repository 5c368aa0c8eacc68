// The collector's pure parts: key registry, hotkeys, rate limiter, query parameters, and the
// store's pro rata sums, duplicates, conflicts and retention (a real SQLite file).
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "collect/agent_authority.hpp"
#include "collect/collect_routes.hpp"
#include "collect/collect_store.hpp"
#include "collect/rate_limiter.hpp"
#include "proof/utc_time.hpp"

namespace ih::collect {
namespace {

namespace fs = std::filesystem;

const std::string kKeyA(64, 'a');
const std::string kKeyB(64, 'b');

struct TempDir {
  fs::path path;
  TempDir() {
    path = fs::temp_directory_path() /
           ("ih-collect-unit-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() { fs::remove_all(path); }
  fs::path write(const std::string& name, const std::string& text) const {
    std::ofstream(path / name) << text;
    return path / name;
  }
};

TEST(CollectKeys, WorkerHotkeyIsTheSecondDottedPart) {
  EXPECT_EQ(worker_hotkey("sn89auction.5Hot.rig1"), "5Hot");
  EXPECT_EQ(worker_hotkey("sn89auction.5Hot"), "");
  EXPECT_EQ(worker_hotkey("plainworker"), "");
}

TEST(CollectKeys, RegistryAllowsOnlyRegisteredKeysPerHotkey) {
  TempDir dir;
  const auto file = dir.write("keys.toml", "[hotkeys]\n5HotA = [\"" + kKeyA + "\"]\n5HotB = [\"" +
                                               std::string(64, 'B') + "\", \"" + kKeyA + "\"]\n");
  auto registry = load_key_registry(file.string());
  ASSERT_TRUE(registry) << registry.error().message;
  EXPECT_EQ(registry->at("5HotB").count(kKeyB), 1u);  // upper-case hex normalised
  auto authority = registry_authority(*registry);
  auto a = authority->authorize(kKeyA, {"sn89auction.5HotA.r1", "sn89auction.5HotB.r2"});
  EXPECT_TRUE(a.allowed);
  EXPECT_TRUE(a.bound);
  auto b = authority->authorize(kKeyB, {"sn89auction.5HotA.r1", "sn89auction.5HotB.r2"});
  EXPECT_FALSE(b.allowed);
  ASSERT_EQ(b.reasons.size(), 1u);
  EXPECT_NE(b.reasons[0].find("key_not_registered"), std::string::npos);
  EXPECT_NE(b.reasons[0].find("5HotA"), std::string::npos);
  auto c = authority->authorize(kKeyA, {"nohotkey"});
  EXPECT_FALSE(c.allowed);
  EXPECT_NE(c.reasons[0].find("worker_without_hotkey"), std::string::npos);
  auto open = open_authority()->authorize(kKeyB, {"anything"});
  EXPECT_TRUE(open.allowed);
  EXPECT_FALSE(open.bound);
}

TEST(CollectKeys, BadFilesAreRefusedWithTheLine) {
  TempDir dir;
  auto bad_key = load_key_registry(dir.write("a.toml", "[hotkeys]\n\n5H = [\"abc\"]\n").string());
  ASSERT_FALSE(bad_key);
  EXPECT_NE(bad_key.error().message.find("a.toml:3"), std::string::npos) << bad_key.error().message;
  auto not_array = load_key_registry(dir.write("b.toml", "[hotkeys]\n5H = \"x\"\n").string());
  ASSERT_FALSE(not_array);
  EXPECT_NE(not_array.error().message.find("array"), std::string::npos);
  auto syntax = load_key_registry(dir.write("c.toml", "[hotkeys\n").string());
  ASSERT_FALSE(syntax);
  EXPECT_NE(syntax.error().message.find("c.toml:1"), std::string::npos);
  auto no_table = load_key_registry(dir.write("d.toml", "x = 1\n").string());
  ASSERT_FALSE(no_table);
  EXPECT_FALSE(load_key_registry((dir.path / "missing.toml").string()));
}

TEST(CollectRateLimiter, BurstThenOnePerInterval) {
  RateLimiter limiter(2, std::chrono::milliseconds(1000), 3);
  const auto t0 = RateLimiter::Clock::now();
  EXPECT_EQ(limiter.take("k", t0).count(), 0);
  EXPECT_EQ(limiter.take("k", t0).count(), 0);
  EXPECT_GT(limiter.take("k", t0).count(), 0);
  EXPECT_EQ(limiter.take("other", t0).count(), 0);  // per key
  EXPECT_EQ(limiter.take("k", t0 + std::chrono::milliseconds(1001)).count(), 0);
  // The table is full of busy keys: a new key waits instead of growing it.
  EXPECT_EQ(limiter.take("third", t0).count(), 0);
  EXPECT_GT(limiter.take("fourth", t0).count(), 0);
  // Once keys are idle (full buckets) they are forgotten and new keys get in.
  EXPECT_EQ(limiter.take("fourth", t0 + std::chrono::seconds(10)).count(), 0);
}

agent::status::ApiRequest get(std::multimap<std::string, std::string> params) {
  agent::status::ApiRequest r;
  r.method = "GET";
  r.params = std::move(params);
  return r;
}

TEST(CollectQuery, IntervalAndPage) {
  const auto now = *proof::parse_iso8601("2026-12-01T19:12:00+00:00");
  auto defaults = std::get<Interval>(parse_interval(get({}), now));
  EXPECT_EQ(defaults.to_ms, now);
  EXPECT_EQ(defaults.from_ms, now - 720'000);
  EXPECT_EQ(defaults.limit, 1000u);
  EXPECT_EQ(defaults.offset, 0u);
  // '+' decoded as a space by a form-style client still parses.
  auto given = std::get<Interval>(parse_interval(get({{"start_time", "2026-12-01T19:00:00 00:00"},
                                                      {"end_time", "2026-12-01T21:10:00+02:00"},
                                                      {"limit", "5"},
                                                      {"offset", "10"}}),
                                                 now));
  EXPECT_EQ(given.from_ms, *proof::parse_iso8601("2026-12-01T19:00:00Z"));
  EXPECT_EQ(given.to_ms, *proof::parse_iso8601("2026-12-01T19:10:00Z"));
  EXPECT_EQ(given.limit, 5u);
  EXPECT_EQ(given.offset, 10u);
}

TEST(CollectQuery, BadParametersAreErrors) {
  const std::int64_t now = 1'800'000'000'000;
  for (auto params : std::vector<std::multimap<std::string, std::string>>{
           {{"start_time", "yesterday"}},
           {{"end_time", "2026-12-01"}},
           {{"start_time", "2026-12-01T19:10:00+00:00"}, {"end_time", "2026-12-01T19:00:00+00:00"}},
           {{"limit", "0"}},
           {{"limit", "10001"}},
           {{"limit", "-1"}},
           {{"offset", "x"}}})
    EXPECT_TRUE(std::holds_alternative<std::string>(parse_interval(get(params), now)));
}

Hash256 hash_of(int n) {
  Hash256 h{};
  h[0] = static_cast<std::uint8_t>(n);
  h[1] = static_cast<std::uint8_t>(n >> 8);
  h[31] = 0x77;
  return h;
}

AcceptedReport report(int id, const std::string& key, std::int64_t start, std::int64_t end,
                      std::vector<WorkerFigures> workers, std::vector<int> shares) {
  AcceptedReport r;
  r.digest = hash_of(10'000 + id);
  r.agent_key = key;
  r.start_ms = start;
  r.end_ms = end;
  r.received_ms = end;
  r.bound = true;
  r.workers = std::move(workers);
  for (int s : shares) r.shares.push_back(hash_of(s));
  r.file = "{}";
  return r;
}

TEST(CollectStore, ProRataSumsDuplicatesAndConflicts) {
  TempDir dir;
  auto store = CollectStore::open({dir.path / "c.sqlite"});
  ASSERT_TRUE(store) << store.error().message;
  CollectStore& s = **store;
  // Worker w1: 600 difficulty over [0, 600 s); worker w2: 100 over [300 s, 400 s).
  EXPECT_EQ(s.store(report(1, kKeyA, 0, 600'000, {{"p.h.w1", 6, 600}}, {1, 2, 3})).outcome,
            StoreOutcome::stored);
  EXPECT_EQ(s.store(report(2, kKeyB, 300'000, 400'000, {{"p.h.w2", 1, 100}}, {4})).outcome,
            StoreOutcome::stored);
  EXPECT_EQ(s.store(report(2, kKeyB, 300'000, 400'000, {{"p.h.w2", 1, 100}}, {4})).outcome,
            StoreOutcome::duplicate);
  const StoreResult conflict =
      s.store(report(3, kKeyB, 600'000, 700'000, {{"p.h.w2", 2, 200}}, {5, 2}));
  EXPECT_EQ(conflict.outcome, StoreOutcome::conflict);
  EXPECT_EQ(conflict.conflicting_shares, 1u);
  ASSERT_EQ(conflict.conflicts.size(), 1u);
  EXPECT_EQ(conflict.conflicts[0].share, hash_of(2));
  EXPECT_EQ(conflict.conflicts[0].first_agent_key, kKeyA);
  // Nothing of the conflicting report was stored: share 5 is still free.
  EXPECT_EQ(s.store(report(4, kKeyA, 700'000, 800'000, {{"p.h.w1", 1, 1}}, {5})).outcome,
            StoreOutcome::stored);

  auto rates = s.workers("*", {0, 600'000});
  ASSERT_EQ(rates.size(), 2u);
  EXPECT_EQ(rates[0].worker_id, "p.h.w1");
  EXPECT_DOUBLE_EQ(rates[0].difficulty, 600);
  EXPECT_DOUBLE_EQ(rates[1].difficulty, 100);
  auto half = s.workers("*", {300'000, 350'000});  // half of w2's window, 1/12 of w1's
  ASSERT_EQ(half.size(), 2u);
  EXPECT_DOUBLE_EQ(half[0].difficulty, 50);
  EXPECT_DOUBLE_EQ(half[1].difficulty, 50);
  EXPECT_EQ(s.workers("*.w2", {0, 600'000}).size(), 1u);
  EXPECT_EQ(s.workers("*", {800'000, 900'000}).size(), 0u);  // end is exclusive
  EXPECT_EQ(s.workers("*", {0, 600'000, 1, 1})[0].worker_id, "p.h.w2");
  EXPECT_EQ(s.conflicts({0, 1'000'000}).size(), 1u);
  EXPECT_EQ(s.stats().reports, 3u);
  EXPECT_EQ(s.stats().proofs, 5u);
}

TEST(CollectStore, RetentionPurgesByAgeAndRefusalsAreBounded) {
  TempDir dir;
  StoreOptions options{dir.path / "c.sqlite"};
  options.retention = std::chrono::seconds(3600);
  options.max_refusals = 3;
  auto store = CollectStore::open(options);
  ASSERT_TRUE(store);
  CollectStore& s = **store;
  ASSERT_EQ(s.store(report(1, kKeyA, 0, 600'000, {{"w", 1, 1}}, {1})).outcome,
            StoreOutcome::stored);
  ASSERT_EQ(s.store(report(2, kKeyA, 4'000'000, 4'600'000, {{"w", 1, 1}}, {2})).outcome,
            StoreOutcome::stored);
  for (int i = 0; i < 5; ++i) {
    Refusal r;
    r.agent_key = kKeyB;
    r.status = 422;
    r.verdict = "invalid";
    r.reasons = {"bad_signature", "reason " + std::to_string(i)};
    r.start_ms = 0;
    r.end_ms = 10;
    r.received_ms = 4'600'000;
    s.record_refusal(r);
  }
  EXPECT_EQ(s.stats().refusals, 3u);
  EXPECT_EQ(s.purge(600'000 + 3'600'000 + 1), 1u);
  EXPECT_EQ(s.stats().reports, 1u);
  // The purged report's share left the index with it.
  EXPECT_EQ(s.store(report(3, kKeyA, 5'000'000, 5'600'000, {{"w", 1, 1}}, {1})).outcome,
            StoreOutcome::stored);
  const auto listed = s.reports({0, 10'000'000});
  ASSERT_EQ(listed.size(), 5u);  // 2 stored, 3 refusals
  EXPECT_EQ(listed[0].verdict, "valid");
  int refusals = 0;
  for (const auto& e : listed)
    if (e.verdict == "invalid") {
      ++refusals;
      EXPECT_EQ(e.reasons.size(), 2u);
      EXPECT_EQ(e.status, 422);
    }
  EXPECT_EQ(refusals, 3);
}

}  // namespace
}  // namespace ih::collect
