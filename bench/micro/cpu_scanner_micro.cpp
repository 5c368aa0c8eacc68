// Google Benchmark of every CPU scanner in the catalog, 1 and 2 threads (items/s = hashes/s).
// Scanners this CPU cannot run are reported as skipped with the catalog's reason.
#include <benchmark/benchmark.h>

#include <random>
#include <string>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/kernels/work.hpp"

namespace {

using ih::kernels::ScannerEntry;

constexpr std::uint32_t kChunk = 1u << 14;  // nonces per scan() call, as a mining loop would

void scan_benchmark(benchmark::State& state, const ScannerEntry& entry) {
  if (!entry.runnable) {
    state.SkipWithError(("skipped: " + entry.why_not).c_str());
    return;
  }
  auto scanner = entry.make();
  std::mt19937 rng(static_cast<unsigned>(state.thread_index()) + 1);
  ih::Header80 header{};
  for (auto& b : header) b = static_cast<std::uint8_t>(rng());
  // Target zero: candidates are as rare as when mining.
  const ih::kernels::Work work = ih::kernels::make_work(header, ih::Uint256{});
  ih::kernels::Candidates found;
  std::uint32_t nonce = rng();
  std::uint64_t hashes = 0;
  for (auto _ : state) {
    hashes += scanner->scan(work, nonce, kChunk, found);
    nonce += kChunk;
    found.nonces.clear();
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(hashes));
}

const bool registered = [] {
  for (const ScannerEntry& entry : ih::kernels::cpu_scanner_catalog()) {
    const std::string name = "BM_CpuScan/" + entry.name;
    benchmark::RegisterBenchmark(name.c_str(), scan_benchmark, entry)
        ->Threads(1)
        ->Threads(2)
        ->UseRealTime();
  }
  return true;
}();

}  // namespace

BENCHMARK_MAIN();
