#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "ih/bench/reference_bench.hpp"

namespace ih::agent {

namespace {

struct BenchOptions {
  double seconds = 5;
  std::uint64_t seed = 1;
};

int run_bench(const BenchOptions& options) {
  spdlog::info("benchmarking the reference sha256d for {:.1f} s (seed {})", options.seconds,
               options.seed);
  const bench::RateResult r = bench::measure_reference_rate(options.seconds, options.seed);
  std::printf("%-12s %14s %10s %12s\n", "scanner", "hashes", "seconds", "MH/s");
  std::printf("%-12s %14llu %10.2f %12.3f\n", "reference",
              static_cast<unsigned long long>(r.hashes), r.seconds, r.hashes_per_second() / 1e6);
  return 0;
}

}  // namespace

CommandMain add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* sub = app.add_subcommand(
      "bench", "Measure hashing speed on a deterministic synthetic job (no pool needed)");
  sub->add_option("-s,--seconds", options->seconds, "How long to measure each scanner")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  sub->add_option("--seed", options->seed, "Seed of the synthetic job")->capture_default_str();
  return [options] { return run_bench(*options); };
}

}  // namespace ih::agent
