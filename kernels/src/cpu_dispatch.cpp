#include "ih/kernels/cpu_dispatch.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <random>

namespace ih::kernels {

namespace {

std::string runnable_names(const std::vector<ScannerEntry>& catalog) {
  std::string names;
  for (const auto& e : catalog) {
    if (!e.runnable) continue;
    if (!names.empty()) names += ", ";
    names += e.name;
  }
  return names;
}

Result<CpuScannerChoice> forced(std::vector<ScannerEntry> catalog, std::string_view name) {
  for (auto& e : catalog) {
    if (e.name != name) continue;
    if (!e.runnable)
      return make_error("CPU kernel '" + e.name + "' cannot run here: " + e.why_not +
                        " (available: " + runnable_names(catalog) + ")");
    return CpuScannerChoice{std::move(e), "forced by --cpu-kernel", {}};
  }
  return make_error("unknown CPU kernel '" + std::string(name) +
                    "' (available: " + runnable_names(catalog) + ")");
}

}  // namespace

double measure_scanner_rate(Scanner& scanner, double seconds) {
  std::mt19937 rng(0x1badb002u);
  Header80 header{};
  for (auto& b : header) b = static_cast<std::uint8_t>(rng());
  // Target zero: candidates are rare, as when mining.
  const Work work = make_work(header, Uint256{});
  Candidates found;
  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  std::uint64_t hashes = 0;
  std::uint32_t nonce = rng();
  constexpr std::uint32_t kChunk = 4096;
  do {
    hashes += scanner.scan(work, nonce, kChunk, found);
    nonce += kChunk;
    found.nonces.clear();
  } while (Clock::now() < deadline);
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();
  return static_cast<double>(hashes) / elapsed;
}

std::size_t pick_by_margin(const std::vector<ScannerRate>& ranked, double overturn_margin) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < ranked.size(); ++i)
    if (ranked[i].hashes_per_second > ranked[best].hashes_per_second) best = i;
  if (best == 0) return 0;
  const bool clearly_faster =
      ranked[best].hashes_per_second >= overturn_margin * ranked[0].hashes_per_second;
  return clearly_faster ? best : 0;
}

CpuScannerChoice choose_among(std::vector<ScannerEntry> ranked,
                              const SelfBenchmarkOptions& options) {
  CpuScannerChoice choice;
  std::vector<std::unique_ptr<Scanner>> scanners;
  for (const auto& e : ranked) {
    scanners.push_back(e.make());
    choice.rates.push_back({e.name, 0, {}});
  }
  const int rounds = std::max(1, options.rounds);
  const double each =
      options.seconds / static_cast<double>(rounds) / static_cast<double>(ranked.size());
  // Round by round, alternating the order, so load that comes and goes meets every scanner.
  for (int round = 0; round < rounds; ++round) {
    for (std::size_t n = 0; n < ranked.size(); ++n) {
      const std::size_t i = round % 2 == 0 ? n : ranked.size() - 1 - n;
      if (options.before_trial) options.before_trial(ranked[i].name, round);
      const double rate = measure_scanner_rate(*scanners[i], each);
      choice.rates[i].trials.push_back(rate);
      choice.rates[i].hashes_per_second = std::max(choice.rates[i].hashes_per_second, rate);
    }
  }
  const std::size_t pick = pick_by_margin(choice.rates, options.overturn_margin);
  char why[160];
  if (pick == 0)
    std::snprintf(why, sizeof why,
                  "static favourite, %.1f MH/s best of %d trials; none measured %.0f%% faster",
                  choice.rates[0].hashes_per_second / 1e6, rounds,
                  (options.overturn_margin - 1) * 100);
  else
    std::snprintf(why, sizeof why,
                  "measured %.2fx the static favourite '%s' (%.1f against %.1f MH/s, best of %d)",
                  choice.rates[pick].hashes_per_second / choice.rates[0].hashes_per_second,
                  ranked[0].name.c_str(), choice.rates[pick].hashes_per_second / 1e6,
                  choice.rates[0].hashes_per_second / 1e6, rounds);
  choice.why = why;
  choice.entry = std::move(ranked[pick]);
  return choice;
}

std::string describe_self_benchmark(const CpuScannerChoice& choice) {
  if (choice.rates.empty()) return "CPU kernel '" + choice.entry.name + "': " + choice.why;
  std::string ranking, figures;
  for (const auto& r : choice.rates) {
    ranking += (ranking.empty() ? "" : " > ") + r.name;
    char text[48];
    std::snprintf(text, sizeof text, "%s%s %.1f (", figures.empty() ? "" : ", ", r.name.c_str(),
                  r.hashes_per_second / 1e6);
    figures += text;
    for (std::size_t t = 0; t < r.trials.size(); ++t) {
      std::snprintf(text, sizeof text, "%s%.1f", t == 0 ? "" : " ", r.trials[t] / 1e6);
      figures += text;
    }
    figures += ")";
  }
  return "CPU kernel ranking by CPU features: " + ranking +
         "; self-benchmark MH/s, best (trials): " + figures + "; chose '" + choice.entry.name +
         "': " + choice.why;
}

Result<CpuScannerChoice> choose_cpu_scanner(std::string_view forced_name,
                                            const SelfBenchmarkOptions& options) {
  std::vector<ScannerEntry> catalog = cpu_scanner_catalog();
  if (!forced_name.empty()) return forced(std::move(catalog), forced_name);

  // The catalog lists scanners in the order this CPU's features make them preferable.
  std::vector<ScannerEntry> ranked;
  for (auto& e : catalog)
    if (e.runnable && e.name != "reference") ranked.push_back(std::move(e));
  if (ranked.empty())
    return CpuScannerChoice{cpu_scanner_catalog().back(), "the only CPU scanner", {}};
  return choose_among(std::move(ranked), options);
}

}  // namespace ih::kernels
