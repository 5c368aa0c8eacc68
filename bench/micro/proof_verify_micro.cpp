// Google Benchmark: `verify` on one core, 100 000 proofs in one signed report (issue 12's
// target: under 2 s), from the file's bytes: JSON parsing, signature, every re-hash.
#include <benchmark/benchmark.h>

#include <filesystem>

#include "proof/verifier.hpp"
#include "proof_fixture.hpp"

namespace {

using namespace ih::proof;

std::string make_report_file(std::size_t proofs) {
  const std::int64_t start = 1'796'000'000'000;
  // Difficulty 2^-31: about two hashes per share, so building the fixture stays quick; the
  // verifier's work per proof does not depend on the difficulty.
  const ProofSet set =
      fixture::synthetic_proofs(proofs, 1.0 / 2147483648.0, start, 700'000, proofs / 1000 + 1);
  const auto key = std::filesystem::temp_directory_path() / "ih-proof-bench.key";
  std::filesystem::remove(key);
  auto signer = generate_ed25519_key(key.string()).value();
  std::filesystem::remove(key);
  return signed_report_file(build_report(set, start, start + 720'000, 0, "bench", *signer),
                            *signer);
}

void BM_VerifyReport(benchmark::State& state) {
  const std::string file = make_report_file(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) {
    SeenShares seen;
    const ReportVerdict v = verify_report(file, {}, seen);
    if (!v.valid) state.SkipWithError("the report does not verify");
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["file_MB"] = static_cast<double>(file.size()) / 1e6;
}
BENCHMARK(BM_VerifyReport)->Arg(100'000)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace

BENCHMARK_MAIN();
