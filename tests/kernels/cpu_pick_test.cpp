// The self-benchmarked kernel pick: the decision rule on fixed figures, then the real benchmark
// with one kernel's trials slowed, synthetically (a throttled scanner) and by real load (a
// spinning thread on the same core). The slowed kernel is always much faster than the other
// contender (a SIMD kernel against the portable one), so the outcome does not hinge on timing.
#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "ih/kernels/cpu_dispatch.hpp"

namespace ih::kernels {
namespace {

using Clock = std::chrono::steady_clock;

ScannerRate rate(const char* name, double mhs) {
  return {name, mhs * 1e6, {mhs * 1e6}};
}

TEST(PickByMargin, TheFavouriteStaysUnlessAnotherIsClearlyFaster) {
  EXPECT_EQ(pick_by_margin({rate("avx512", 41), rate("sha-ni", 26)}, 1.15), 0u);
  EXPECT_EQ(pick_by_margin({rate("avx512", 41), rate("sha-ni", 45)}, 1.15), 0u);
  EXPECT_EQ(pick_by_margin({rate("avx512", 41), rate("sha-ni", 47.2)}, 1.15), 1u);
  EXPECT_EQ(pick_by_margin({rate("a", 10), rate("b", 12), rate("c", 14)}, 1.15), 2u);
  EXPECT_EQ(pick_by_margin({rate("only", 3)}, 1.15), 0u);
}

// A real scanner on a machine that gives it 1 / (1 + factor) of the core while `busy` is set.
class ThrottledScanner final : public Scanner {
 public:
  ThrottledScanner(std::unique_ptr<Scanner> inner, const std::atomic<bool>& busy)
      : inner_(std::move(inner)), busy_(busy) {}
  std::string_view name() const override { return inner_->name(); }
  unsigned lanes() const override { return inner_->lanes(); }
  std::uint64_t scan(const Work& work, std::uint32_t first, std::uint32_t count,
                     Candidates& out) override {
    const auto start = Clock::now();
    const std::uint64_t done = inner_->scan(work, first, count, out);
    if (busy_) std::this_thread::sleep_for((Clock::now() - start) * kFactor);
    return done;
  }
  // Far below portable even when a loaded machine slows portable's own trials several-fold.
  static constexpr int kFactor = 100;

 private:
  std::unique_ptr<Scanner> inner_;
  const std::atomic<bool>& busy_;
};

// The static favourite (a SIMD kernel) and the portable scanner, or nothing on CPUs without one.
std::vector<ScannerEntry> favourite_and_portable() {
  std::vector<ScannerEntry> two;
  for (auto& e : cpu_scanner_catalog())
    if (e.runnable && (two.empty() ? e.name != "portable" : e.name == "portable"))
      two.push_back(std::move(e));
  if (two.size() != 2) two.clear();
  return two;
}

SelfBenchmarkOptions quick_options() {
  SelfBenchmarkOptions options;
  options.seconds = 0.16;
  options.rounds = 4;
  return options;
}

// The self-benchmark of the favourite and the portable scanner, with the favourite throttled in
// the rounds where busy_in(round) holds. Empty when no SIMD scanner runs here.
std::optional<CpuScannerChoice> throttled_pick(const std::function<bool(int)>& busy_in,
                                               std::string& favourite) {
  auto ranked = favourite_and_portable();
  if (ranked.empty()) return std::nullopt;
  favourite = ranked[0].name;
  std::atomic<bool> busy{false};
  ranked[0].make = [inner = ranked[0].make, &busy] {
    return std::make_unique<ThrottledScanner>(inner(), busy);
  };
  SelfBenchmarkOptions options = quick_options();
  options.before_trial = [&](std::string_view name, int round) {
    busy = name == favourite && busy_in(round);
  };
  return choose_among(std::move(ranked), options);
}

TEST(SelfBenchmark, LoadOnAllButOneTrialOfTheFavouriteDoesNotFoolIt) {
  std::string favourite;
  const auto choice = throttled_pick([](int round) { return round < 3; }, favourite);
  if (!choice) GTEST_SKIP() << "no SIMD scanner runs here";
  EXPECT_EQ(choice->entry.name, favourite) << describe_self_benchmark(*choice);
  ASSERT_EQ(choice->rates[0].trials.size(), 4u);
  // The throttled trials really were slow: the best of them is far below the clean one.
  const auto& t = choice->rates[0].trials;
  EXPECT_LT(std::max({t[0], t[1], t[2]}) * 5, t[3]) << describe_self_benchmark(*choice);
  EXPECT_NE(choice->why.find("static favourite"), std::string::npos) << choice->why;
}

TEST(SelfBenchmark, AFavouriteSlowInEveryTrialIsOverturned) {
  std::string favourite;
  const auto choice = throttled_pick([](int) { return true; }, favourite);
  if (!choice) GTEST_SKIP() << "no SIMD scanner runs here";
  EXPECT_EQ(choice->entry.name, "portable") << describe_self_benchmark(*choice);
  EXPECT_NE(choice->why.find("the static favourite '" + favourite + "'"), std::string::npos)
      << choice->why;
}

// Spins on the CPU it is pinned to whenever `active` is set.
class Spinner {
 public:
  explicit Spinner(int cpu) {
    thread_ = std::thread([this, cpu] {
      pin_to(cpu);
      while (!quit_)
        if (!active_) std::this_thread::sleep_for(std::chrono::microseconds(200));
    });
  }
  ~Spinner() {
    quit_ = true;
    thread_.join();
  }
  void set_active(bool on) { active_ = on; }
  static void pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    pthread_setaffinity_np(pthread_self(), sizeof set, &set);
  }

 private:
  std::atomic<bool> quit_{false}, active_{false};
  std::thread thread_;
};

TEST(SelfBenchmark, ASpinnerOnTheSameCoreDuringMostFavouriteTrialsDoesNotFoolIt) {
  auto ranked = favourite_and_portable();
  if (ranked.empty()) GTEST_SKIP() << "no SIMD scanner runs here";
  const std::string favourite = ranked[0].name;
  cpu_set_t saved;
  ASSERT_EQ(pthread_getaffinity_np(pthread_self(), sizeof saved, &saved), 0);
  const int cpu = sched_getcpu();
  Spinner::pin_to(cpu);
  CpuScannerChoice choice;
  {
    Spinner spinner(cpu);
    SelfBenchmarkOptions options = quick_options();
    options.before_trial = [&](std::string_view name, int round) {
      spinner.set_active(name == favourite && round < options.rounds - 1);
    };
    choice = choose_among(std::move(ranked), options);
  }
  pthread_setaffinity_np(pthread_self(), sizeof saved, &saved);
  EXPECT_EQ(choice.entry.name, favourite) << describe_self_benchmark(choice);
  for (const auto& r : choice.rates) EXPECT_EQ(r.trials.size(), 4u) << r.name;
}

TEST(SelfBenchmark, TheLogLineNamesTheRankingAndEveryFigure) {
  const auto choice = choose_cpu_scanner("", quick_options());
  ASSERT_TRUE(choice.ok()) << choice.error().message;
  const std::string line = describe_self_benchmark(*choice);
  for (const auto& r : choice->rates) {
    EXPECT_NE(line.find(r.name), std::string::npos) << line;
    EXPECT_EQ(r.trials.size(), 4u);
    EXPECT_GT(r.hashes_per_second, 0) << r.name;
  }
  EXPECT_NE(line.find("ranking"), std::string::npos) << line;
  EXPECT_NE(line.find(choice->entry.name), std::string::npos) << line;
}

}  // namespace
}  // namespace ih::kernels
