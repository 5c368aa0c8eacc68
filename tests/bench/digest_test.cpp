// The benchmark digest: deterministic, the same from every scanner, and it catches bad scanners.
#include "ih/bench/digest.hpp"

#include <gtest/gtest.h>

#include "ih/bench/bench_runner.hpp"
#include "ih/bench/synthetic_job.hpp"
#include "ih/kernels/scanner_catalog.hpp"

namespace {

using namespace ih;

TEST(BenchDigest, SameSeedSameDigestAcrossRuns) {
  const std::string a = bench::reference_digest(42);
  EXPECT_EQ(a.size(), 64u);
  EXPECT_EQ(a, bench::reference_digest(42));
}

TEST(BenchDigest, DifferentSeedDifferentDigest) {
  EXPECT_NE(bench::reference_digest(1), bench::reference_digest(2));
  EXPECT_NE(bench::synthetic_header(1), bench::synthetic_header(2));
}

TEST(BenchDigest, EveryRunnableScannerAgreesWithTheReference) {
  const std::string expected = bench::reference_digest(7);
  int checked = 0;
  for (const auto& entry : kernels::cpu_scanner_catalog()) {
    if (!entry.runnable) {
      std::printf("[ skipped  ] %s: %s\n", entry.name.c_str(), entry.why_not.c_str());
      continue;
    }
    auto scanner = entry.make();
    auto digest = bench::scanner_digest(*scanner, 7);
    ASSERT_TRUE(digest.ok()) << entry.name << ": " << digest.error().message;
    EXPECT_EQ(*digest, expected) << entry.name;
    ++checked;
  }
  EXPECT_GE(checked, 1);
}

// A scanner that is wrong on purpose, to prove the digest check catches it.
class FaultyScanner final : public kernels::Scanner {
 public:
  enum class Fault { drop_one, invent_one, duplicate_one };
  explicit FaultyScanner(Fault fault) : fault_(fault) {}
  std::string_view name() const override { return "faulty"; }
  unsigned lanes() const override { return 1; }
  std::uint64_t scan(const kernels::Work& work, std::uint32_t first, std::uint32_t count,
                     kernels::Candidates& out) override {
    const std::uint64_t done = inner_->scan(work, first, count, out);
    if (out.nonces.empty()) return done;
    switch (fault_) {
      case Fault::drop_one:
        out.nonces.pop_back();
        break;
      case Fault::invent_one:
        out.nonces.push_back(out.nonces.back() + 1);
        break;
      case Fault::duplicate_one:
        out.nonces.push_back(out.nonces.front());
        break;
    }
    return done;
  }

 private:
  Fault fault_;
  std::unique_ptr<kernels::Scanner> inner_ = kernels::make_reference_scanner();
};

TEST(BenchDigest, MissedCandidateChangesTheDigest) {
  FaultyScanner scanner(FaultyScanner::Fault::drop_one);
  auto digest = bench::scanner_digest(scanner, 7);
  ASSERT_TRUE(digest.ok());
  EXPECT_NE(*digest, bench::reference_digest(7));
}

TEST(BenchDigest, InventedOrDuplicatedCandidateIsAnError) {
  FaultyScanner invents(FaultyScanner::Fault::invent_one);
  EXPECT_FALSE(bench::scanner_digest(invents, 7).ok());
  FaultyScanner duplicates(FaultyScanner::Fault::duplicate_one);
  EXPECT_FALSE(bench::scanner_digest(duplicates, 7).ok());
}

TEST(BenchRunner, FaultyScannerFailsTheRunAndSkippedOnesDoNot) {
  std::vector<kernels::ScannerEntry> entries;
  entries.push_back(
      {"reference", kernels::DeviceKind::cpu, true, "", kernels::make_reference_scanner});
  entries.push_back({"faulty", kernels::DeviceKind::cpu, true, "", [] {
                       return std::make_unique<FaultyScanner>(FaultyScanner::Fault::drop_one);
                     }});
  entries.push_back({"absent", kernels::DeviceKind::cpu, false, "CPU lacks it", nullptr});
  bench::BenchConfig config;
  config.seconds = 0.3;
  config.seed = 3;
  const auto report = bench::run_bench(config, entries, "reference", nullptr);
  ASSERT_EQ(report.results.size(), 3u);
  EXPECT_EQ(report.results[0].status, bench::ResultStatus::ok);
  EXPECT_GT(report.results[0].hashes, 0u);
  EXPECT_DOUBLE_EQ(report.results[0].speedup, 1.0);
  EXPECT_EQ(report.results[1].status, bench::ResultStatus::failed);
  EXPECT_EQ(report.results[2].status, bench::ResultStatus::skipped);
  EXPECT_EQ(report.results[2].reason, "CPU lacks it");
  EXPECT_FALSE(report.all_ok());
}

}  // namespace
