// Google Benchmark micro-benchmarks of the reference math (the baseline for every scanner).
#include <benchmark/benchmark.h>

#include <array>

#include "ih/kernels/sha256.hpp"
#include "ih/kernels/work.hpp"

namespace {

void BM_Sha256d80(benchmark::State& state) {
  ih::Header80 header{};
  header[0] = 1;
  for (auto _ : state) {
    benchmark::DoNotOptimize(ih::kernels::sha256d(header));
    ++header[76];
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Sha256d80);

void BM_ReferenceHashFromMidstate(benchmark::State& state) {
  ih::Header80 header{};
  const auto work = ih::kernels::make_work(header, ih::Uint256::max());
  std::uint32_t nonce = 0;
  for (auto _ : state) benchmark::DoNotOptimize(ih::kernels::reference_hash(work, nonce++));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_ReferenceHashFromMidstate);

}  // namespace

BENCHMARK_MAIN();
