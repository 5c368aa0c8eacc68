// `collect` end to end on loopback: signed reports of shares mined on the built-in pool's jobs,
// pushed over HTTP to a CollectService on an ephemeral port; its answers are checked against
// what the proof library's verifier computes from the same files.
#include <gtest/gtest.h>
#include <httplib.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "collect/collect_service.hpp"
#include "collect_reports.hpp"
#include "ih/hex_encode.hpp"
#include "proof/signer.hpp"
#include "proof/utc_time.hpp"
#include "proof/verifier.hpp"

namespace ih::collect {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr double kDifficulty = 1.0 / (1 << 20);  // ~4 096 hashes a share: quick to mine
constexpr std::int64_t kWindowMs = 720'000;

struct Miner {
  std::unique_ptr<proof::Signer> signer;
  std::string key_hex, hotkey, worker;
};

struct Window {
  std::int64_t start_ms, end_ms;
};

fs::path temp_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("ih-collect-e2e-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

// Reports shared by the tests: mining them once keeps the suite fast.
struct Fixture {
  fs::path dir = temp_dir("keys");
  Miner a, b, c;  // c is registered for no hotkey
  Window w1{}, w2{};
  proof::ProofSet a1_proofs;
  std::string a1, a2, b1;

  Fixture() {
    const std::int64_t now = proof::utc_now_ms();
    w1 = {now - 3 * kWindowMs, now - 2 * kWindowMs};
    w2 = {now - 2 * kWindowMs, now - kWindowMs};
    int n = 0;
    for (Miner* m : {&a, &b, &c}) {
      auto signer = proof::generate_ed25519_key((dir / ("key" + std::to_string(n))).string());
      m->signer = std::move(*signer);
      m->key_hex = hex_encode(m->signer->public_key());
      m->hotkey = "5Hotkey" + std::string(1, static_cast<char>('A' + n));
      m->worker = "sn89auction." + m->hotkey + ".rig" + std::to_string(n++);
    }
    agent::local_pool::SyntheticJobs jobs(89);
    a1_proofs = test::mine_window(jobs, a.worker, 1, 40, kDifficulty, w1.start_ms, w1.end_ms, 10);
    a1 = test::signed_report(a1_proofs, w1.start_ms, w1.end_ms, kDifficulty, *a.signer);
    a2 = test::signed_report(
        test::mine_window(jobs, a.worker, 1, 60, kDifficulty, w2.start_ms, w2.end_ms, 20),
        w2.start_ms, w2.end_ms, kDifficulty, *a.signer);
    b1 = test::signed_report(
        test::mine_window(jobs, b.worker, 2, 20, kDifficulty, w1.start_ms, w1.end_ms), w1.start_ms,
        w1.end_ms, kDifficulty, *b.signer);
  }
  ~Fixture() { fs::remove_all(dir); }

  std::string keys_file() const {
    const fs::path p = dir / "keys.toml";
    std::ofstream(p) << "[hotkeys]\n"
                     << a.hotkey << " = [\"" << a.key_hex << "\"]\n"
                     << b.hotkey << " = [\"" << b.key_hex << "\"]\n"
                     << c.hotkey << " = []\n";
    return p.string();
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

// The hashrate interval `verify` gives a worker over `files`.
proof::HashrateEstimate verified(const std::vector<std::string>& files, const std::string& worker) {
  proof::SeenShares seen;
  std::vector<proof::ReportVerdict> verdicts;
  for (const auto& f : files) verdicts.push_back(proof::verify_report(f, {}, seen));
  for (const auto& w : proof::verified_hashrates(verdicts))
    if (w.worker_id == worker) return w.estimate;
  ADD_FAILURE() << "verify found no " << worker;
  return {};
}

class Collector {
 public:
  explicit Collector(fs::path data_dir, std::string keys = {}, double burst = 20,
                     std::size_t max_body = 16u << 20)
      : data_dir_(std::move(data_dir)) {
    CollectOptions o;
    o.data_dir = data_dir_;
    o.keys_file = std::move(keys);
    o.ingest.rate_burst = burst;
    o.max_body = max_body;
    auto service = CollectService::open(o);
    EXPECT_TRUE(service) << service.error().message;
    service_ = std::move(*service);
    auto port = service_->start();
    EXPECT_TRUE(port) << port.error().message;
    client_ = std::make_unique<httplib::Client>("127.0.0.1", *port);
    client_->set_read_timeout(30, 0);
  }

  std::pair<int, json> post(const std::string& file) {
    auto res = client_->Post("/api/v1/reports", file, "application/json");
    if (!res) return {0, {}};
    return {res->status, json::parse(res->body, nullptr, false)};
  }

  std::pair<int, std::string> get_raw(const std::string& path, const httplib::Params& params) {
    auto res = client_->Get(path, params, httplib::Headers{});
    if (!res) return {0, {}};
    return {res->status, res->body};
  }

  json get(const std::string& path, const httplib::Params& params = {}) {
    auto [status, body] = get_raw(path, params);
    EXPECT_EQ(status, 200) << path << ": " << body;
    return json::parse(body, nullptr, false);
  }

  void stop() { service_->stop(); }

 private:
  fs::path data_dir_;
  std::unique_ptr<CollectService> service_;
  std::unique_ptr<httplib::Client> client_;
};

httplib::Params interval(std::int64_t from, std::int64_t to) {
  return {{"start_time", proof::format_iso8601(from)}, {"end_time", proof::format_iso8601(to)}};
}

std::map<std::string, json> by_worker(const json& reply) {
  std::map<std::string, json> out;
  for (const json& w : reply.at("workers")) out[w.at("worker_id").get<std::string>()] = w;
  return out;
}

bool has_reason(const json& reply, const std::string& code) {
  for (const json& r : reply.at("reasons"))
    if (r.get<std::string>().rfind(code, 0) == 0) return true;
  return false;
}

class CollectE2E : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = temp_dir(::testing::UnitTest::GetInstance()->current_test_info()->name());
  }
  void TearDown() override { fs::remove_all(data_); }
  fs::path data_;
};

TEST_F(CollectE2E, TwoMinersListedWithTheHashratesVerifyComputes) {
  Fixture& f = fixture();
  Collector c(data_, f.keys_file());
  for (const std::string* file : {&f.a1, &f.a2, &f.b1}) {
    auto [status, reply] = c.post(*file);
    EXPECT_EQ(status, 201) << reply.dump();
    EXPECT_EQ(reply.at("status"), "stored");
    EXPECT_TRUE(reply.at("bound").get<bool>());
  }
  // One window: exactly what verify says for that window's reports.
  auto w1 = by_worker(c.get("/api/v1/workers", interval(f.w1.start_ms, f.w1.end_ms)));
  ASSERT_EQ(w1.size(), 2u);
  for (const auto& [worker, file] :
       std::vector<std::pair<std::string, std::string>>{{f.a.worker, f.a1}, {f.b.worker, f.b1}}) {
    const auto expected = verified({file}, worker);
    const auto got = w1.at(worker).at("hashrate").get<double>();
    EXPECT_GE(got, expected.low);
    EXPECT_LE(got, expected.high);
    EXPECT_NEAR(got, expected.hashrate, 1.0);
    EXPECT_TRUE(w1.at(worker).at("bound").get<bool>());
  }
  // Both windows for A: verify over both of A's reports.
  auto both = by_worker(c.get("/api/v1/workers", interval(f.w1.start_ms, f.w2.end_ms)));
  const auto expected_a = verified({f.a1, f.a2}, f.a.worker);
  EXPECT_NEAR(both.at(f.a.worker).at("hashrate").get<double>(), expected_a.hashrate, 1.0);
  EXPECT_GE(both.at(f.a.worker).at("hashrate").get<double>(), expected_a.low);
  EXPECT_LE(both.at(f.a.worker).at("hashrate").get<double>(), expected_a.high);
  // B reported for W1 only: over W1+W2 its rate is half of W1's.
  EXPECT_NEAR(both.at(f.b.worker).at("hashrate").get<double>(),
              verified({f.b1}, f.b.worker).hashrate / 2, 1.0);
  const json health = c.get("/health");
  EXPECT_EQ(health.at("status"), "ok");
  auto [metrics_status, metrics] = c.get_raw("/metrics", {});
  EXPECT_EQ(metrics_status, 200);
  EXPECT_NE(metrics.find("infinite_hashes_collect_reports_total{result=\"stored\"} 3"),
            std::string::npos)
      << metrics;
  EXPECT_NE(metrics.find("infinite_hashes_collect_stored_proofs 120"), std::string::npos);
}

TEST_F(CollectE2E, RefusalsEachWithStatusAndReason) {
  Fixture& f = fixture();
  Collector c(data_, f.keys_file());
  ASSERT_EQ(c.post(f.a1).first, 201);

  // Replayed: idempotent, stored once.
  auto [replay_status, replay] = c.post(f.a1);
  EXPECT_EQ(replay_status, 200);
  EXPECT_EQ(replay.at("status"), "duplicate");

  // Bad signature: one hex digit of the signature changed.
  std::string bad_sig = f.b1;
  const auto at = bad_sig.find("\"value\":\"") + 9;
  bad_sig[at] = bad_sig[at] == '0' ? '1' : '0';
  auto [sig_status, sig] = c.post(bad_sig);
  EXPECT_EQ(sig_status, 422);
  EXPECT_TRUE(has_reason(sig, "bad_signature")) << sig.dump();

  // Tampered proof, signed by its own miner: extranonce2 no longer matches the header.
  proof::ProofSet forged = f.a1_proofs;
  forged.shares[3].extranonce2[0] ^= 1;
  for (auto& job : forged.jobs) job.worker = f.b.worker;
  const std::string forged_file =
      test::signed_report(forged, f.w1.start_ms, f.w1.end_ms, kDifficulty, *f.b.signer);
  auto [forged_status, forged_reply] = c.post(forged_file);
  EXPECT_EQ(forged_status, 422);
  EXPECT_TRUE(has_reason(forged_reply, "merkle_root_mismatch")) << forged_reply.dump();

  // A key that is not registered for the hotkey its workers name.
  proof::ProofSet stolen = f.a1_proofs;
  const std::string c_report =
      test::signed_report(stolen, f.w1.start_ms, f.w1.end_ms, kDifficulty, *f.c.signer);
  auto [key_status, key_reply] = c.post(c_report);
  EXPECT_EQ(key_status, 403);
  EXPECT_TRUE(has_reason(key_reply, "key_not_registered")) << key_reply.dump();

  // Shares A already claimed, now in a report of B's worker signed by B.
  for (auto& job : stolen.jobs) job.worker = f.b.worker;
  stolen.shares.resize(5);
  const std::string b_copy =
      test::signed_report(stolen, f.w1.start_ms, f.w1.end_ms, kDifficulty, *f.b.signer);
  auto [dup_status, dup] = c.post(b_copy);
  EXPECT_EQ(dup_status, 409);
  EXPECT_TRUE(has_reason(dup, "share_already_claimed: 5")) << dup.dump();
  const json conflicts = c.get("/api/v1/conflicts", interval(0, proof::utc_now_ms() + 1000));
  ASSERT_EQ(conflicts.at("conflicts").size(), 5u);
  EXPECT_EQ(conflicts["conflicts"][0].at("first_agent_key"), f.a.key_hex);
  EXPECT_EQ(conflicts["conflicts"][0].at("claimed_by_key"), f.b.key_hex);
  EXPECT_EQ(conflicts["conflicts"][0].at("claimed_by_workers"), json::array({f.b.worker}));

  // Nothing refused counts: only A's one report is in the workers API.
  auto workers = by_worker(c.get("/api/v1/workers", interval(f.w1.start_ms, f.w1.end_ms)));
  ASSERT_EQ(workers.size(), 1u);
  EXPECT_EQ(workers.begin()->first, f.a.worker);
  // The listing: one valid report, each refusal with its verdict and status.
  std::map<std::string, int> verdicts;
  const json listing = c.get("/api/v1/reports", interval(f.w1.start_ms, f.w1.end_ms));
  for (const json& r : listing.at("reports"))
    verdicts[r.at("verdict").get<std::string>() + " " +
             std::to_string(r.at("status").get<int>())]++;
  EXPECT_EQ(verdicts,
            (std::map<std::string, int>{
                {"valid 201", 1}, {"invalid 422", 2}, {"forbidden 403", 1}, {"conflict 409", 1}}));
  // Garbage is 400 and stored nowhere.
  EXPECT_EQ(c.post("{\"body\":").first, 400);
}

TEST_F(CollectE2E, RestartGivesTheSameAnswers) {
  Fixture& f = fixture();
  const auto all = interval(f.w1.start_ms, f.w2.end_ms);
  std::string workers, reports, conflicts;
  {
    Collector c(data_, f.keys_file());
    for (const std::string* file : {&f.a1, &f.a2, &f.b1}) ASSERT_EQ(c.post(*file).first, 201);
    proof::ProofSet stolen = f.a1_proofs;
    for (auto& job : stolen.jobs) job.worker = f.b.worker;
    ASSERT_EQ(
        c.post(test::signed_report(stolen, f.w1.start_ms, f.w1.end_ms, kDifficulty, *f.b.signer))
            .first,
        409);
    workers = c.get_raw("/api/v1/workers", all).second;
    ASSERT_EQ(json::parse(workers).at("workers").size(), 2u);
    reports = c.get_raw("/api/v1/reports", all).second;
    ASSERT_EQ(json::parse(reports).at("reports").size(), 4u);  // 3 stored, 1 refused
    conflicts = c.get_raw("/api/v1/conflicts", interval(0, proof::utc_now_ms() + 1000)).second;
    ASSERT_EQ(json::parse(conflicts).at("conflicts").size(), 40u);
    c.stop();
  }
  Collector again(data_, f.keys_file());
  EXPECT_EQ(again.get_raw("/api/v1/workers", all).second, workers);
  EXPECT_EQ(again.get_raw("/api/v1/reports", all).second, reports);
  EXPECT_EQ(again.get_raw("/api/v1/conflicts", interval(0, proof::utc_now_ms() + 1000)).second,
            conflicts);
  // The share index survived too: a replay is still a duplicate, a copy still a conflict.
  EXPECT_EQ(again.post(f.a2).first, 200);
}

TEST_F(CollectE2E, PaginationPatternAndTimeBounds) {
  Fixture& f = fixture();
  Collector c(data_);  // no --keys: accepted, unbound
  for (const std::string* file : {&f.a1, &f.b1}) {
    auto [status, reply] = c.post(*file);
    ASSERT_EQ(status, 201);
    EXPECT_FALSE(reply.at("bound").get<bool>());
  }
  // A third worker, without a hotkey in its name: fine without --keys.
  agent::local_pool::SyntheticJobs jobs(7);
  const std::string plain = test::signed_report(
      test::mine_window(jobs, "plainworker", 3, 10, kDifficulty, f.w1.start_ms, f.w1.end_ms),
      f.w1.start_ms, f.w1.end_ms, kDifficulty, *f.c.signer);
  ASSERT_EQ(c.post(plain).first, 201);

  auto page = [&](std::size_t limit, std::size_t offset) {
    auto p = interval(f.w1.start_ms, f.w1.end_ms);
    p.emplace("limit", std::to_string(limit));
    p.emplace("offset", std::to_string(offset));
    std::vector<std::string> ids;
    const json reply = c.get("/api/v1/workers", p);
    for (const json& w : reply.at("workers")) {
      ids.push_back(w.at("worker_id"));
      EXPECT_FALSE(w.at("bound").get<bool>());
    }
    return ids;
  };
  const auto first = page(2, 0), second = page(2, 2), third = page(2, 4);
  EXPECT_EQ(first, (std::vector<std::string>{"plainworker", f.a.worker}));
  EXPECT_EQ(second, (std::vector<std::string>{f.b.worker}));  // a short page ends it
  EXPECT_TRUE(third.empty());

  auto p = interval(f.w1.start_ms, f.w1.end_ms);
  p.emplace("pattern", "sn89auction.*.*");
  EXPECT_EQ(c.get("/api/v1/workers", p)["workers"].size(), 2u);
  p = interval(f.w1.start_ms, f.w1.end_ms);
  p.emplace("pattern", "sn89auction." + f.b.hotkey + ".*");
  EXPECT_EQ(c.get("/api/v1/workers", p)["workers"].size(), 1u);

  // Before the windows, and from the exclusive end on: nobody.
  EXPECT_TRUE(c.get("/api/v1/workers", interval(f.w1.start_ms - kWindowMs, f.w1.start_ms))
                  .at("workers")
                  .empty());
  EXPECT_TRUE(c.get("/api/v1/workers", interval(f.w1.end_ms, f.w2.end_ms)).at("workers").empty());
  // Half a window: half its work over half the time, the same rate; a window and as long
  // before it: half the rate.
  const double rate = verified({f.b1}, f.b.worker).hashrate;
  auto half =
      by_worker(c.get("/api/v1/workers", interval(f.w1.start_ms, f.w1.start_ms + kWindowMs / 2)));
  EXPECT_NEAR(half.at(f.b.worker).at("hashrate").get<double>(), rate, 1.0);
  auto diluted =
      by_worker(c.get("/api/v1/workers", interval(f.w1.start_ms - kWindowMs, f.w1.end_ms)));
  EXPECT_NEAR(diluted.at(f.b.worker).at("hashrate").get<double>(), rate / 2, 1.0);
  // Bad parameters are 400 with a reason.
  auto bad = c.get_raw("/api/v1/workers", {{"start_time", "noon"}});
  EXPECT_EQ(bad.first, 400);
  EXPECT_NE(bad.second.find("start_time"), std::string::npos);
}

TEST_F(CollectE2E, BodyLimitAndRateLimit) {
  Fixture& f = fixture();
  {
    Collector small(data_ / "small", {}, 20, 4096);
    EXPECT_EQ(small.post(f.a1).first, 413);
  }
  Collector c(data_ / "rate", {}, 1);
  EXPECT_EQ(c.post(f.a1).first, 201);
  auto [status, reply] = c.post(f.a2);  // same key, right away
  EXPECT_EQ(status, 429);
  EXPECT_GT(reply.at("retry_after_seconds").get<int>(), 0);
  EXPECT_EQ(c.post(f.b1).first, 201);  // another key is not slowed
}

}  // namespace
}  // namespace ih::collect
