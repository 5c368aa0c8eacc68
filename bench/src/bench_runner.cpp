#include "ih/bench/bench_runner.hpp"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>

#include "ih/bench/digest.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace ih::bench {

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Hashes `work` from `first_nonce` until `stop`, growing each scan call until it takes ~50 ms
// so slow and fast devices alike are measured with little call overhead.
void hash_until_stopped(kernels::Scanner& scanner, const kernels::Work& work,
                        std::uint32_t first_nonce, const std::atomic<bool>& stop,
                        std::atomic<std::uint64_t>& hashes) {
  std::uint32_t chunk = 1u << 12;
  std::uint32_t nonce = first_nonce;
  kernels::Candidates found;
  while (!stop.load(std::memory_order_relaxed)) {
    const auto start = Clock::now();
    found.nonces.clear();
    hashes.fetch_add(scanner.scan(work, nonce, chunk, found), std::memory_order_relaxed);
    nonce += chunk;
    if (seconds_since(start) < 0.05 && chunk < (1u << 30)) chunk <<= 1;
  }
}

// Launch shape and timing of a GPU scanner after its run, for the report.
std::string gpu_details(kernels::Scanner& scanner) {
  auto* gpu = dynamic_cast<kernels::GpuScanner*>(&scanner);
  if (gpu == nullptr) return {};
  const kernels::GpuScanStats stats = gpu->stats();
  char timing[160];
  std::snprintf(timing, sizeof timing,
                "; %llu launches of %u nonces, last %.1f ms; %llu hardware errors",
                static_cast<unsigned long long>(stats.launches), stats.nonces_per_launch,
                stats.last_launch_ms, static_cast<unsigned long long>(stats.hardware_errors));
  return gpu->details() + timing;
}

struct TimedRun {
  std::uint64_t hashes = 0;
  double seconds = 0;
};

// Hashes `work` on the first `threads` scanners, one thread each, for about `seconds`.
TimedRun timed_run(const std::vector<std::unique_ptr<kernels::Scanner>>& scanners, unsigned threads,
                   double seconds, const kernels::Work& work, const std::string& label,
                   const ProgressFn& progress) {
  std::atomic<bool> stop{false};
  std::atomic<std::uint64_t> hashes{0};
  const auto start = Clock::now();
  std::vector<std::thread> running;
  const std::uint64_t slice = (std::uint64_t{1} << 32) / threads;
  for (unsigned t = 0; t < threads; ++t)
    running.emplace_back(hash_until_stopped, std::ref(*scanners[t]), std::cref(work),
                         static_cast<std::uint32_t>(slice * t), std::cref(stop), std::ref(hashes));
  for (;;) {
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
    const double elapsed = seconds_since(start);
    if (progress) progress(label, elapsed, seconds, hashes.load() / elapsed);
    if (elapsed >= seconds) break;
  }
  stop = true;
  for (auto& t : running) t.join();
  return {hashes.load(), seconds_since(start)};
}

ScannerResult measure(const BenchConfig& config, double seconds, const kernels::ScannerEntry& entry,
                      const std::string& reference, const ProgressFn& progress) {
  ScannerResult r;
  r.scanner = entry.name;
  r.device = device_name(entry.device);
  if (!entry.runnable) {
    r.status = ResultStatus::skipped;
    r.reason = entry.why_not;
    return r;
  }
  r.threads = entry.device == kernels::DeviceKind::cpu ? std::max(1u, config.cpu_threads) : 1;

  // Correctness first: a scanner whose digest is wrong is not worth timing.
  auto checker = entry.make();
  auto digest = scanner_digest(*checker, config.seed);
  if (!digest) {
    r.status = ResultStatus::failed;
    r.reason = digest.error().message;
    return r;
  }
  r.digest = *digest;
  if (r.digest != reference) {
    r.status = ResultStatus::failed;
    r.reason = "digest differs from the reference: the scanner missed or invented candidates";
    return r;
  }

  // Mining-like target (difficulty 1: top limb 0) so candidates are as rare as in real work.
  Uint256 target = Uint256::max();
  target.limbs[7] = 0;
  const kernels::Work work = kernels::make_work(synthetic_header(config.seed), target);
  std::vector<std::unique_ptr<kernels::Scanner>> scanners;
  scanners.push_back(std::move(checker));
  while (scanners.size() < r.threads) scanners.push_back(entry.make());

  const TimedRun all = timed_run(scanners, r.threads, seconds, work, r.scanner, progress);
  r.seconds = all.seconds;
  r.hashes = all.hashes;
  r.hashrate = r.hashes / r.seconds;
  r.hashrate_per_thread = r.hashrate / r.threads;
  // The 1 -> N scaling, measured in the same run: one thread alone, as long again.
  if (r.threads > 1) {
    const TimedRun one = timed_run(scanners, 1, seconds, work, r.scanner + " x1", progress);
    r.single_thread_hashrate = one.hashes / one.seconds;
    r.scaling = r.hashrate / r.single_thread_hashrate;
  }
  r.details = gpu_details(*scanners.front());
  return r;
}

}  // namespace

bool BenchReport::all_ok() const {
  return std::none_of(results.begin(), results.end(),
                      [](const ScannerResult& r) { return r.status == ResultStatus::failed; });
}

const char* device_name(kernels::DeviceKind kind) {
  switch (kind) {
    case kernels::DeviceKind::cpu:
      return "cpu";
    case kernels::DeviceKind::cuda:
      return "cuda";
    case kernels::DeviceKind::opencl:
      return "opencl";
  }
  return "unknown";
}

const char* status_name(ResultStatus status) {
  switch (status) {
    case ResultStatus::ok:
      return "ok";
    case ResultStatus::skipped:
      return "skipped";
    case ResultStatus::failed:
      return "failed";
  }
  return "unknown";
}

BenchReport run_bench(const BenchConfig& config, const std::vector<kernels::ScannerEntry>& entries,
                      const std::string& baseline, const ProgressFn& progress) {
  BenchReport report;
  report.config = config;
  report.header = synthetic_header(config.seed);
  report.range = digest_range(config.seed);
  report.reference_digest = reference_digest(config.seed);
  for (const auto& entry : entries) {
    const bool short_baseline = entry.name == baseline && config.baseline_seconds > 0;
    const double seconds = short_baseline ? config.baseline_seconds : config.seconds;
    report.results.push_back(measure(config, seconds, entry, report.reference_digest, progress));
  }

  const auto base = std::find_if(report.results.begin(), report.results.end(), [&](auto& r) {
    return r.scanner == baseline && r.status == ResultStatus::ok && r.hashrate_per_thread > 0;
  });
  if (base != report.results.end()) {
    report.baseline = baseline;
    for (auto& r : report.results)
      if (r.status == ResultStatus::ok)
        r.speedup = r.hashrate_per_thread / base->hashrate_per_thread;
  }
  return report;
}

}  // namespace ih::bench
