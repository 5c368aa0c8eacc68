// Picks the CPU scanner to mine with: a forced name, or the static favourite (the most
// preferred scanner this CPU's features allow) unless a short self-benchmark measures another one
// clearly faster. Trials are interleaved and repeated, and each scanner is judged by its best
// trial, so a machine that is busy for part of the benchmark cannot make it pick a slower kernel.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/result.hpp"

namespace ih::kernels {

struct ScannerRate {
  std::string name;
  double hashes_per_second = 0;  // the best trial
  std::vector<double> trials;    // every trial, in the order run (H/s)
};

struct CpuScannerChoice {
  ScannerEntry entry;
  std::string why;                 // e.g. "forced by --cpu-kernel" or "static favourite ..."
  std::vector<ScannerRate> rates;  // the self-benchmark in static ranking order, when one ran
};

// Total self-benchmark time shared by the runnable candidates.
inline constexpr double kSelfBenchmarkSeconds = 0.24;

struct SelfBenchmarkOptions {
  double seconds = kSelfBenchmarkSeconds;  // all trials together
  int rounds = 4;                          // trials per scanner, interleaved round by round
  // Another scanner replaces the static favourite only when its best trial is at least this
  // many times the favourite's best: measurement noise cannot flip the choice.
  double overturn_margin = 1.15;
  // Called just before each trial (tests make the machine busy for chosen trials).
  std::function<void(std::string_view scanner, int round)> before_trial;
};

// forced_name empty: the self-benchmarked choice among the runnable scanners (not the
// reference, the slow oracle). Otherwise that scanner, or an error naming the ones that can run.
Result<CpuScannerChoice> choose_cpu_scanner(std::string_view forced_name,
                                            const SelfBenchmarkOptions& options = {});

// The self-benchmarked choice among `ranked` (runnable, most preferred first; not empty).
CpuScannerChoice choose_among(std::vector<ScannerEntry> ranked,
                              const SelfBenchmarkOptions& options);

// The decision alone: index into `ranked` (favourite first) of the scanner to use.
std::size_t pick_by_margin(const std::vector<ScannerRate>& ranked, double overturn_margin);

// One line for the log: the static ranking and every measured figure.
std::string describe_self_benchmark(const CpuScannerChoice& choice);

// Hashes random work with `scanner` for about `seconds` and returns hashes per second.
double measure_scanner_rate(Scanner& scanner, double seconds);

}  // namespace ih::kernels
