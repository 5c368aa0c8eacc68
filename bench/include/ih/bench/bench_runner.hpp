// Benchmark mode: every selected scanner on a deterministic job, timed, digest-checked.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "ih/bench/synthetic_job.hpp"
#include "ih/kernels/scanner_catalog.hpp"

namespace ih::bench {

struct BenchConfig {
  double seconds = 5;  // timed run per scanner
  std::uint64_t seed = 1;
  unsigned cpu_threads = 1;  // CPU scanners run on this many threads; GPU scanners on one
  // The baseline is timed this long when it is only there for the speed-up ratio (0: `seconds`).
  double baseline_seconds = 0;
};

enum class ResultStatus { ok, skipped, failed };

struct ScannerResult {
  std::string scanner;
  std::string device;  // "cpu", "cuda", "opencl"
  unsigned threads = 0;
  std::uint64_t hashes = 0;
  double seconds = 0;
  double hashrate = 0;                // H/s, all threads
  double hashrate_per_thread = 0;     // H/s
  double speedup = 0;                 // over the baseline in the same run; 0 when unknown
  double single_thread_hashrate = 0;  // CPU, threads > 1: one thread alone, same run (H/s)
  double scaling = 0;                 // hashrate / single_thread_hashrate; 0 when not measured
  std::string digest;                 // what this scanner produced over the digest range
  ResultStatus status = ResultStatus::ok;
  std::string reason;   // why skipped or failed
  std::string details;  // GPU scanners: device, launch shape, occupancy, launch time
};

struct BenchReport {
  BenchConfig config;
  Header80 header{};
  DigestRange range;
  std::string reference_digest;
  std::string baseline;           // the scanner speed-ups are measured against
  std::string chosen_cpu_kernel;  // what `mine` would pick here (set by the caller; may be empty)
  std::string chosen_why;         // its self-benchmark line
  std::vector<ScannerResult> results;
  bool all_ok() const;  // no scanner failed (skipped ones do not count)
};

// Called about four times a second from the benchmarking thread.
using ProgressFn =
    std::function<void(const std::string& scanner, double elapsed, double total, double hashrate)>;

// The baseline is the scanner named `baseline` among `entries` (if present and runnable).
BenchReport run_bench(const BenchConfig& config, const std::vector<kernels::ScannerEntry>& entries,
                      const std::string& baseline, const ProgressFn& progress);

const char* device_name(kernels::DeviceKind kind);
const char* status_name(ResultStatus status);

}  // namespace ih::bench
