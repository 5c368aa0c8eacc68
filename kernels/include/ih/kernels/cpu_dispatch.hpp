// Picks the CPU scanner to mine with: a forced name, or the fastest runnable one after a short
// self-benchmark (under 300 ms in total).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/result.hpp"

namespace ih::kernels {

struct ScannerRate {
  std::string name;
  double hashes_per_second = 0;
};

struct CpuScannerChoice {
  ScannerEntry entry;
  std::string why;                 // e.g. "forced by --cpu-kernel" or "fastest of ..."
  std::vector<ScannerRate> rates;  // the self-benchmark, when one ran
};

// Total self-benchmark time shared by the runnable candidates.
inline constexpr double kSelfBenchmarkSeconds = 0.24;

// forced_name empty: benchmark the runnable scanners (not the reference, the slow oracle) and
// pick the fastest. Otherwise that scanner, or an error naming the ones that can run.
Result<CpuScannerChoice> choose_cpu_scanner(std::string_view forced_name);

// Hashes random work with `scanner` for about `seconds` and returns hashes per second.
double measure_scanner_rate(Scanner& scanner, double seconds);

}  // namespace ih::kernels
