// The soak (label `slow`, left out of the default CI run): the agent mines for IH_SOAK_SECONDS
// (default 30 min) against the built-in pool behind the fault proxy, which gives a random fault
// to about half of the connections and now and then drops every link or refuses connections.
// Prints the 10 s hashrate spread, reconnects, the ledger, RSS and open files at start and end;
// fails on RSS growth beyond noise, on leaked file descriptors, on an invalid share or an
// unbalanced ledger.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "fault_cases.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih::test;

std::chrono::seconds soak_duration() {
  const char* env = std::getenv("IH_SOAK_SECONDS");
  return std::chrono::seconds(env ? std::max(20L, std::strtol(env, nullptr, 10)) : 1800L);
}

// Resident set size of this process in KiB (/proc/self/statm counts pages).
long rss_kib() {
  std::ifstream statm("/proc/self/statm");
  long size = 0, resident = 0;
  statm >> size >> resident;
  return resident * (sysconf(_SC_PAGESIZE) / 1024);
}

std::size_t open_fds() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
  return n;
}

struct Sample {
  double hashrate;
  long rss;
  std::size_t fds;
};

Sample sample(FaultRig& rig) {
  return {rig.engine().meter().total().r10s.value_or(0), rss_kib(), open_fds()};
}

TEST(Soak, MinesThroughRandomFaultsWithoutLeaking) {
  const auto duration = soak_duration();
  FaultRig rig;
  ASSERT_TRUE(rig.ready());
  std::mt19937 random(std::random_device{}());
  // The proxy asks for scripts one connection at a time, under its own lock.
  auto draws = std::make_shared<std::mt19937>(random());
  rig.proxy().set_script(
      [draws](std::size_t) { return random_fault(static_cast<std::uint32_t>((*draws)())); });
  ASSERT_TRUE(rig.start());
  ASSERT_TRUE(wait_until([&] { return rig.accepted_by_pools() >= 2; }, 30s));

  // Start figures once the first connections, threads and buffers exist (a tenth of the run).
  const auto begin = std::chrono::steady_clock::now();
  const auto warmup = std::max<std::chrono::seconds>(10s, duration / 10);
  std::this_thread::sleep_for(warmup);
  const Sample start = sample(rig);
  std::vector<double> rates;
  std::size_t drops = 0, refusals = 0;
  std::uint64_t accepted_before_last_minute = 0;
  while (std::chrono::steady_clock::now() - begin < duration) {
    std::this_thread::sleep_for(10s);
    rates.push_back(sample(rig).hashrate);
    switch (random() % 12) {  // about one link-wide fault a minute
      case 0:
        rig.proxy().drop_all();
        ++drops;
        break;
      case 1:
        rig.proxy().refuse_for(std::chrono::milliseconds(500 + random() % 3000));
        ++refusals;
        break;
      default:
        break;
    }
    if (duration - (std::chrono::steady_clock::now() - begin) > 60s)
      accepted_before_last_minute = rig.accepted_by_pools();
  }
  // The end figures with the proxy quiet, as at the start (no relay stalled on purpose).
  rig.proxy().set_script({});
  rig.proxy().drop_all();
  ASSERT_TRUE(wait_until(
      [&] {
        return rig.primary().stats().accepted + rig.backup().stats().accepted >
               accepted_before_last_minute + 2;
      },
      30s))
      << "no accepted shares in the last minute";
  std::this_thread::sleep_for(3s);
  const Sample end = sample(rig);
  const auto reconnects = rig.proxy().connections();
  const auto failures = rig.primary_failures();
  ASSERT_LT(rig.stop(), 2s);

  const auto ledger = rig.engine().ledger().snapshot();
  std::sort(rates.begin(), rates.end());
  const double median = rates.empty() ? 0 : rates[rates.size() / 2];
  std::printf("soak: %lld s, %zu samples; 10 s hashrate min %.0f median %.0f max %.0f H/s\n",
              static_cast<long long>(duration.count()), rates.size(),
              rates.empty() ? 0 : rates.front(), median, rates.empty() ? 0 : rates.back());
  std::printf(
      "soak: %zu connections to the primary, %zu failed attempts or lost links; %zu drops "
      "and %zu refusals injected\n",
      reconnects, failures, drops, refusals);
  std::printf(
      "soak: ledger found %llu = accepted %llu + rejected %llu + stale %llu + hardware "
      "%llu + pending %llu (%s); pools accepted %llu, rejected %llu\n",
      static_cast<unsigned long long>(ledger.total.found),
      static_cast<unsigned long long>(ledger.total.accepted),
      static_cast<unsigned long long>(ledger.total.rejected),
      static_cast<unsigned long long>(ledger.total.stale),
      static_cast<unsigned long long>(ledger.total.hardware_errors),
      static_cast<unsigned long long>(ledger.total.pending),
      ledger.total.balanced() ? "balanced" : "NOT balanced",
      static_cast<unsigned long long>(rig.accepted_by_pools()),
      static_cast<unsigned long long>(rig.primary().stats().rejected +
                                      rig.backup().stats().rejected));
  for (const auto& [reason, count] : ledger.reject_reasons)
    std::printf("soak:   rejected %llu: %s\n", static_cast<unsigned long long>(count),
                reason.c_str());
  std::printf("soak: RSS %ld KiB at start, %ld KiB at end; open fds %zu at start, %zu at end\n",
              start.rss, end.rss, start.fds, end.fds);

  EXPECT_GT(median, 0);
  EXPECT_TRUE(ledger.total.balanced());
  EXPECT_EQ(ledger.total.pending, 0u);
  EXPECT_EQ(rig.primary().stats().rejected + rig.backup().stats().rejected, 0u);
  EXPECT_LE(ledger.total.accepted, rig.accepted_by_pools());
  // Noise: allocator arenas and the ledger's reason map grow a little; a leak grows steadily.
  EXPECT_LT(end.rss, start.rss + std::max(8L * 1024, start.rss / 5)) << "RSS grew";
  EXPECT_LE(end.fds, start.fds + 2) << "file descriptors leaked";
}

}  // namespace
