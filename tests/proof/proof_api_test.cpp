#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "proof/proof_api.hpp"
#include "proof/utc_time.hpp"
#include "proof/verifier.hpp"
#include "proof/window_reporter.hpp"
#include "proof_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using namespace ih::proof;
using ih::agent::status::ApiRequest;
using ih::agent::status::ApiResponse;
using ih::proof::fixture::TempDir;
using nlohmann::json;

constexpr double kDiff = 1.0 / (1 << 22);  // about 1 000 hashes per share

class WorkersApi : public ::testing::Test {
 protected:
  void SetUp() override {
    // Whole seconds, as validators ask for them.
    t0_ = (utc_now_ms() / 1000 - 3600) * 1000;
    ProofStoreOptions o;
    o.dir = tmp_.path() / "proofs";
    store_ = ProofStore::open(o).value();
    // Five workers; worker k has 10 * (k + 1) shares spread over the hour.
    for (int k = 0; k < 5; ++k) {
      const std::string id =
          "sn89auction.hotkey" + std::to_string(k % 2) + ".w" + std::to_string(k);
      ProofSet set;
      set.jobs.push_back(fixture::synthetic_job(100 + k, id, 3));
      const int n = 10 * (k + 1);
      for (int i = 0; i < n; ++i)
        set.shares.push_back(fixture::find_share(set.jobs[0], 0, static_cast<std::uint32_t>(i),
                                                 kDiff, t0_ + (i * 3'600'000LL) / n + 7));
      for (const auto& s : set.shares) ASSERT_FALSE(store_->append(set.jobs[0], s));
      all_.jobs.push_back(set.jobs[0]);
      for (auto s : set.shares) {
        s.job = all_.jobs.size() - 1;
        all_.shares.push_back(s);
      }
    }
    std::sort(all_.shares.begin(), all_.shares.end(),
              [](const ShareProof& a, const ShareProof& b) { return a.time_ms < b.time_ms; });
    ProofApiOptions api;
    api.store = store_.get();
    api.reports_dir = tmp_.path() / "reports";
    routes_ = proof_api_routes(api);
  }
  ApiResponse get(const std::string& path, std::multimap<std::string, std::string> params) {
    for (const auto& r : routes_)
      if (r.path == path) return r.handler({"GET", path, std::move(params), ""});
    ADD_FAILURE() << "no route " << path;
    return {};
  }
  json workers(std::int64_t start, std::int64_t end, const std::string& pattern,
               std::optional<int> limit = {}, std::optional<int> offset = {}) {
    std::multimap<std::string, std::string> p = {{"start_time", format_iso8601(start)},
                                                 {"end_time", format_iso8601(end)},
                                                 {"pattern", pattern}};
    if (limit) p.emplace("limit", std::to_string(*limit));
    if (offset) p.emplace("offset", std::to_string(*offset));
    const ApiResponse r = get("/api/v1/workers", p);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.content_type, "application/json");
    return json::parse(r.body);
  }

  TempDir tmp_;
  std::int64_t t0_ = 0;
  std::unique_ptr<ProofStore> store_;
  ProofSet all_;
  std::vector<ih::agent::status::ApiRoute> routes_;
};

TEST_F(WorkersApi, HasExactlyTheShapeValidatorsRead) {
  const json j = workers(t0_, t0_ + 3'600'000, "sn89auction.*.*");
  ASSERT_EQ(j.size(), 1u);
  ASSERT_TRUE(j["workers"].is_array());
  ASSERT_EQ(j["workers"].size(), 5u);
  for (const json& w : j["workers"]) {
    ASSERT_EQ(w.size(), 2u);
    EXPECT_TRUE(w["worker_id"].is_string());
    EXPECT_TRUE(w["hashrate"].is_number_integer());
  }
}

TEST_F(WorkersApi, HashratesAreTheFiguresVerifyComputesFromTheSameProofs) {
  TempDir keys;
  auto signer = generate_ed25519_key((keys.path() / "k").string()).value();
  const std::int64_t start = t0_ + 600'000, end = t0_ + 1'320'000;  // one 12-minute window
  const WindowReport report = build_report(all_, start, end, 0, "test", *signer);
  SeenShares seen;
  const auto verdict = verify_report(signed_report_file(report, *signer), {}, seen);
  ASSERT_TRUE(verdict.valid) << ::testing::PrintToString(verdict.reasons);
  const auto rates = verified_hashrates({verdict});
  const json j = workers(start, end, "*");
  ASSERT_EQ(j["workers"].size(), rates.size());
  for (std::size_t i = 0; i < rates.size(); ++i) {
    EXPECT_EQ(j["workers"][i]["worker_id"], rates[i].worker_id);
    EXPECT_EQ(j["workers"][i]["hashrate"].get<std::uint64_t>(),
              static_cast<std::uint64_t>(std::llround(rates[i].estimate.hashrate)));
  }
}

TEST_F(WorkersApi, PatternIsAGlobOverWorkerIds) {
  EXPECT_EQ(workers(t0_, t0_ + 3'600'000, "sn89auction.hotkey1.*")["workers"].size(), 2u);
  EXPECT_EQ(workers(t0_, t0_ + 3'600'000, "sn89auction.*.w4")["workers"].size(), 1u);
  EXPECT_EQ(workers(t0_, t0_ + 3'600'000, "other.*.*")["workers"].size(), 0u);
  EXPECT_TRUE(worker_matches("sn89auction.*.*", "sn89auction.5Grw.rig1"));
  EXPECT_FALSE(worker_matches("sn89auction.*.*", "sn89auction5Grwrig1"));
}

TEST_F(WorkersApi, TimeBoundsSelectTheProofsOfTheInterval) {
  // Worker 0 has 10 shares, one every 6 minutes from t0 + 7 ms: 2 in [t0, t0 + 12 min).
  const json j = workers(t0_, t0_ + 720'000, "*.w0");
  ASSERT_EQ(j["workers"].size(), 1u);
  EXPECT_EQ(j["workers"][0]["hashrate"].get<std::uint64_t>(),
            static_cast<std::uint64_t>(std::llround(2 * kDiff * 4294967296.0 / 720)));
  EXPECT_EQ(workers(t0_ - 7'200'000, t0_, "*")["workers"].size(), 0u);
}

TEST_F(WorkersApi, PagesOfLimitUntilAShortPage) {
  std::vector<std::string> seen;
  for (int offset = 0;; offset += 2) {
    const json page = workers(t0_, t0_ + 3'600'000, "*", 2, offset);
    for (const json& w : page["workers"]) seen.push_back(w["worker_id"]);
    if (page["workers"].size() < 2) break;
  }
  EXPECT_EQ(seen.size(), 5u);
  EXPECT_TRUE(std::is_sorted(seen.begin(), seen.end()));
  EXPECT_EQ(std::set<std::string>(seen.begin(), seen.end()).size(), 5u);
}

TEST_F(WorkersApi, BadParametersGet400WithAReason) {
  EXPECT_EQ(get("/api/v1/workers", {}).status, 400);
  EXPECT_EQ(get("/api/v1/workers", {{"start_time", "yesterday"}, {"end_time", "now"}}).status, 400);
  EXPECT_EQ(get("/api/v1/workers",
                {{"start_time", format_iso8601(t0_)}, {"end_time", format_iso8601(t0_ - 1000)}})
                .status,
            400);
  EXPECT_EQ(get("/api/v1/workers", {{"start_time", format_iso8601(t0_)},
                                    {"end_time", format_iso8601(t0_ + 1000)},
                                    {"limit", "-1"}})
                .status,
            400);
}

TEST_F(WorkersApi, ReportsAreListedByTimeAndServed) {
  TempDir keys;
  auto signer = generate_ed25519_key((keys.path() / "k").string()).value();
  WindowReporterOptions o;
  o.reports_dir = tmp_.path() / "reports";
  std::filesystem::create_directories(o.reports_dir);
  WindowReporter reporter(*store_, *signer, o);
  for (int w = 0; w < 5; ++w)
    ASSERT_TRUE(reporter.write_window(t0_ + w * 720'000, t0_ + (w + 1) * 720'000).ok());
  const ApiResponse list = get("/api/v1/reports", {{"start_time", format_iso8601(t0_ + 720'000)},
                                                   {"end_time", format_iso8601(t0_ + 2'160'000)}});
  ASSERT_EQ(list.status, 200);
  const json j = json::parse(list.body);
  ASSERT_EQ(j["reports"].size(), 2u);
  EXPECT_EQ(j["reports"][0]["start_time"], format_iso8601(t0_ + 720'000));
  const std::string name = j["reports"][1]["name"];
  const ApiResponse file = get("/api/v1/reports", {{"name", name}});
  ASSERT_EQ(file.status, 200);
  SeenShares seen;
  EXPECT_TRUE(verify_report(file.body, {}, seen).valid);
  EXPECT_EQ(get("/api/v1/reports", {{"name", "../proofs/x"}}).status, 400);
  EXPECT_EQ(get("/api/v1/reports", {{"name", report_file_name(1, 2)}}).status, 404);
}

}  // namespace
