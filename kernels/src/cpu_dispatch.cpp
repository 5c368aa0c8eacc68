#include "ih/kernels/cpu_dispatch.hpp"

#include <chrono>
#include <cstdio>
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

Result<CpuScannerChoice> choose_cpu_scanner(std::string_view forced_name) {
  std::vector<ScannerEntry> catalog = cpu_scanner_catalog();
  if (!forced_name.empty()) return forced(std::move(catalog), forced_name);

  std::vector<ScannerEntry> contenders;
  for (auto& e : catalog)
    if (e.runnable && e.name != "reference") contenders.push_back(std::move(e));
  if (contenders.empty())
    return CpuScannerChoice{cpu_scanner_catalog().back(), "the only CPU scanner", {}};

  CpuScannerChoice choice;
  const double each = kSelfBenchmarkSeconds / static_cast<double>(contenders.size());
  std::size_t best = 0;
  for (std::size_t i = 0; i < contenders.size(); ++i) {
    auto scanner = contenders[i].make();
    choice.rates.push_back({contenders[i].name, measure_scanner_rate(*scanner, each)});
    if (choice.rates[i].hashes_per_second > choice.rates[best].hashes_per_second) best = i;
  }
  char why[96];
  std::snprintf(why, sizeof why, "fastest in a %.0f ms self-benchmark (%.1f MH/s)",
                kSelfBenchmarkSeconds * 1000, choice.rates[best].hashes_per_second / 1e6);
  choice.why = why;
  choice.entry = std::move(contenders[best]);
  return choice;
}

}  // namespace ih::kernels
