#include <gtest/gtest.h>

#include <chrono>

#include "engine/ledger.hpp"
#include "engine/meter.hpp"

namespace {

using namespace ih::agent;
using ih::stratum::SubmitOutcome;
using ih::stratum::SubmitResult;

SubmitResult result(std::uint64_t id, SubmitOutcome outcome, std::string reason = {},
                    std::size_t pool = 0) {
  SubmitResult r;
  r.share_id = id;
  r.outcome = outcome;
  r.reason = std::move(reason);
  r.latency = std::chrono::milliseconds(id * 10);
  r.pool_index = pool;
  return r;
}

TEST(Ledger, EveryCandidateEndsInExactlyOneBucket) {
  Ledger ledger(2, 2);
  ledger.submitted(1, 0, 0, 0.5);
  ledger.submitted(2, 1, 0, 2.0);
  ledger.submitted(3, 1, 1, 1.0);
  ledger.hardware_error(0, 0);
  ledger.stale(1, 0, 0.1);
  ledger.near_miss(0);  // not a share: not in "found"
  ledger.duplicate(1);
  auto s = ledger.snapshot();
  EXPECT_EQ(s.total.found, 5u);
  EXPECT_EQ(s.total.pending, 3u);
  EXPECT_TRUE(s.total.balanced());

  ledger.result(result(1, SubmitOutcome::accepted));
  ledger.result(result(2, SubmitOutcome::rejected, "low difficulty share"));
  ledger.result(result(3, SubmitOutcome::timed_out, "request timed out", 1));
  s = ledger.snapshot();
  EXPECT_EQ(s.total.accepted, 1u);
  EXPECT_EQ(s.total.rejected, 2u);
  EXPECT_EQ(s.total.stale, 1u);
  EXPECT_EQ(s.total.hardware_errors, 1u);
  EXPECT_EQ(s.total.pending, 0u);
  EXPECT_TRUE(s.total.balanced());
  for (const auto& d : s.devices) EXPECT_TRUE(d.balanced());
  for (const auto& p : s.pools) EXPECT_TRUE(p.balanced());
  EXPECT_EQ(s.devices[0].found, 2u);
  EXPECT_EQ(s.devices[1].found, 3u);
  EXPECT_EQ(s.pools[1].rejected, 1u);
  EXPECT_EQ(s.reject_reasons.at("low difficulty share"), 1u);
  EXPECT_EQ(s.reject_reasons.at("no reply: request timed out"), 1u);
  EXPECT_EQ(s.total.best_difficulty, 2.0);
  EXPECT_EQ(s.total.accepted_difficulty, 0.5);
  EXPECT_EQ(s.total.latency_samples, 2u);
  EXPECT_EQ(s.total.latency_max, std::chrono::milliseconds(20));
  EXPECT_EQ(s.near_misses, 1u);
  EXPECT_EQ(s.duplicates_dropped, 1u);
}

TEST(Ledger, APoolStaleRejectionCountsAsStale) {
  Ledger ledger(1, 1);
  ledger.submitted(1, 0, 0, 1.0);
  ledger.submitted(2, 0, 0, 1.0);
  ledger.stale(0, 0, 1.0);
  ledger.result(result(1, SubmitOutcome::rejected, "code 21: Job not found (=stale)"));
  ledger.result(result(2, SubmitOutcome::rejected, "code 23: Low difficulty share"));
  const auto s = ledger.snapshot();
  EXPECT_EQ(s.total.stale, 2u);
  EXPECT_EQ(s.total.rejected, 1u);
  EXPECT_EQ(s.stale_by_pool, 1u);
  EXPECT_EQ(s.stale_unsent, 1u);
  EXPECT_TRUE(s.total.balanced());
  EXPECT_TRUE(is_stale_rejection("Stale share"));
  EXPECT_FALSE(is_stale_rejection("duplicate share"));
}

TEST(Ledger, AResultBeforeItsSubmitIsNotLost) {
  Ledger ledger(1, 1);
  ledger.result(result(7, SubmitOutcome::stale, "stale epoch"));
  EXPECT_EQ(ledger.snapshot().total.found, 0u);
  ledger.submitted(7, 0, 0, 1.0);
  const auto s = ledger.snapshot();
  EXPECT_EQ(s.total.found, 1u);
  EXPECT_EQ(s.total.stale, 1u);
  EXPECT_EQ(s.total.pending, 0u);
  EXPECT_TRUE(s.total.balanced());
}

TEST(RateMeter, WindowsFillThenReport) {
  const auto t0 = SteadyClock::now();
  RateMeter m(t0);
  using std::chrono::milliseconds;
  for (int ms = 0; ms < 12000; ms += 100) m.add(1000, t0 + milliseconds(ms));  // 10 kH/s
  EXPECT_EQ(m.total(), 120000u);
  const auto now = t0 + milliseconds(12000);
  auto r10 = m.rate(std::chrono::seconds(10), now);
  ASSERT_TRUE(r10.has_value());
  EXPECT_NEAR(*r10, 10000.0, 500.0);
  EXPECT_FALSE(m.rate(std::chrono::seconds(60), now).has_value());
  EXPECT_FALSE(m.rate(std::chrono::seconds(900), now).has_value());
}

TEST(RateMeter, OldBucketsAgeOut) {
  const auto t0 = SteadyClock::now();
  RateMeter m(t0);
  m.add(1000000, t0 + std::chrono::seconds(1));
  // 20 s later nothing was hashed in the last 10 s; the 60 s window still needs more history.
  const auto later = t0 + std::chrono::seconds(21);
  EXPECT_EQ(*m.rate(std::chrono::seconds(10), later), 0.0);
  // After 15 min plus, the ring has wrapped over the old second.
  const auto much_later = t0 + std::chrono::seconds(901 + 900);
  m.add(900, t0 + std::chrono::seconds(1700));
  EXPECT_NEAR(*m.rate(std::chrono::seconds(900), much_later), 1.0, 0.01);
}

TEST(Meter, TotalsAddDevices) {
  const auto t0 = SteadyClock::now();
  Meter meter(2, t0);
  for (int s = 0; s < 11; ++s) {
    meter.add(0, 100, t0 + std::chrono::seconds(s));
    meter.add(1, 300, t0 + std::chrono::seconds(s));
  }
  const auto now = t0 + std::chrono::milliseconds(11000);
  const DeviceRates total = meter.total(now);
  EXPECT_EQ(total.total, 11u * 400u);
  ASSERT_TRUE(total.r10s.has_value());
  EXPECT_NEAR(*total.r10s, 400.0, 1.0);
  EXPECT_NEAR(*meter.device(1, now).r10s, 300.0, 1.0);
}

}  // namespace
