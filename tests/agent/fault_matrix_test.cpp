// The fault matrix (label `fault`): the real engine and stratum client against built-in pools,
// the primary behind a fault-injecting proxy. After each fault the agent must be hashing useful
// work (shares the pools accept), have reconnected with back-off (no tight loop), have sent no
// invalid share (the pools re-check every one), keep its ledger balanced (every found share
// accepted, rejected with a reason, stale or a hardware error) and stop within 2 s.
#include <gtest/gtest.h>

#include <sstream>

#include "captured_log.hpp"
#include "fault_cases.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih::test;

void expect_printable(const std::string& log) {
  ASSERT_FALSE(log.empty());
  for (std::size_t i = 0; i < log.size(); ++i) {
    const auto byte = static_cast<unsigned char>(log[i]);
    const bool bad = (byte < 0x20 && byte != '\n') || byte == 0x7f || byte >= 0x80;
    ASSERT_FALSE(bad) << "byte 0x" << std::hex << static_cast<int>(byte)
                      << " in: " << log.substr(i > 80 ? i - 80 : 0, 160);
  }
}

// Connections to the primary closer together than the back-off allows are a tight loop.
void expect_backoff(FaultRig& rig, const FaultCase& c) {
  const double seconds = rig.seconds_running();
  const auto attempts = rig.proxy().connections();
  const auto bound = static_cast<std::size_t>(4 + 4 * seconds);
  EXPECT_LE(attempts, bound) << "connections to the primary in " << seconds << " s";
  EXPECT_LE(rig.primary_failures(), bound) << "failed attempts at the primary";
  if (c.expect == Expect::backup || c.faulty_connections > 0) {
    EXPECT_GE(rig.primary_failures(), 1u) << "the fault was not noticed";
    EXPECT_GE(attempts + (c.during ? 1 : 0), 2u) << "the primary was not tried again";
  }
  const auto times = rig.proxy().connection_times();
  for (std::size_t i = 1; i < times.size(); ++i)
    EXPECT_GE(times[i] - times[i - 1], 50ms) << "attempts " << i - 1 << " and " << i;
}

void expect_work_where_it_belongs(FaultRig& rig, const FaultCase& c) {
  switch (c.expect) {
    case Expect::primary: {
      // Past the faulty connections, the primary (through the proxy) accepts shares again.
      ASSERT_TRUE(
          wait_until([&] { return rig.proxy().connections() > c.faulty_connections; }, 10s));
      const auto before = rig.primary().stats().accepted;
      ASSERT_TRUE(wait_until([&] { return rig.primary().stats().accepted >= before + 2; }, 12s))
          << "no shares on the primary after the fault";
      break;
    }
    case Expect::backup:
      ASSERT_TRUE(wait_until([&] { return rig.backup().stats().accepted >= 2; }, 12s))
          << "the healthy backup got no shares";
      break;
    case Expect::either:
      ASSERT_TRUE(wait_until([&] { return rig.accepted_by_pools() >= 2; }, 12s));
      break;
  }
  if (c.reason) {
    EXPECT_TRUE(wait_until([&] { return rig.saw_health(*c.reason); }, 5s))
        << "the primary never reported " << ih::stratum::pool_health_name(*c.reason);
  }
}

void expect_ledger_balances(FaultRig& rig) {
  const auto ledger = rig.engine().ledger().snapshot();
  const auto& total = ledger.total;
  EXPECT_EQ(total.pending, 0u) << "a share without a verdict after stop";
  EXPECT_TRUE(total.balanced()) << "found " << total.found << " accepted " << total.accepted
                                << " rejected " << total.rejected << " stale " << total.stale
                                << " hardware " << total.hardware_errors;
  std::uint64_t with_reason = 0;
  for (const auto& [reason, count] : ledger.reject_reasons) {
    EXPECT_FALSE(reason.empty());
    with_reason += count;
  }
  // The pool's "job not found" rejections count as stale but keep their reason too.
  EXPECT_EQ(with_reason, total.rejected + ledger.stale_by_pool)
      << "a rejected share without a reason";
  // Never credited without the pool's word, never lost: what a pool accepted the ledger has as
  // accepted, or as rejected with "no reply" when the pool's answer was lost on the way.
  const auto pools = rig.accepted_by_pools();
  EXPECT_LE(total.accepted, pools) << "the ledger counts accepts the pools never gave";
  EXPECT_LE(pools, total.accepted + total.rejected) << "shares the pools took vanished";
}

}  // namespace

namespace ih::test {
// Test names, not byte dumps, in gtest's messages.
void PrintTo(const FaultCase& c, std::ostream* out) {
  *out << c.name;
}
}  // namespace ih::test

namespace {

class FaultMatrix : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultMatrix, KeepsMiningUsefulWorkWithBackoffAndABalancedLedger) {
  const FaultCase& c = GetParam();
  std::optional<CapturedLog> log;
  if (c.check_log) log.emplace();
  FaultRig rig(c.options);
  ASSERT_TRUE(rig.ready());
  rig.proxy().set_script(c.script(rig));
  ASSERT_TRUE(rig.start());
  if (c.during) c.during(rig);
  expect_work_where_it_belongs(rig, c);
  // Still hashing useful work afterwards, on whichever pool it is on now.
  const auto accepted = rig.accepted_by_pools();
  EXPECT_TRUE(wait_until([&] { return rig.accepted_by_pools() >= accepted + 3; }, 10s))
      << "mining stopped after the fault";
  expect_backoff(rig, c);
  EXPECT_LT(rig.stop(), 2s) << "the agent did not stop within 2 s";
  EXPECT_EQ(rig.primary().stats().rejected, 0u) << "an invalid share reached the primary";
  EXPECT_EQ(rig.backup().stats().rejected, 0u) << "an invalid share reached the backup";
  expect_ledger_balances(rig);
  if (log) expect_printable(log->text());
}

INSTANTIATE_TEST_SUITE_P(Faults, FaultMatrix, ::testing::ValuesIn(fault_cases()),
                         [](const auto& param_info) { return param_info.param.name; });

}  // namespace
