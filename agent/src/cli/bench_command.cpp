#include <spdlog/spdlog.h>
#include <unistd.h>
#include <CLI/CLI.hpp>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "ih/bench/bench_runner.hpp"
#include "ih/bench/digest.hpp"
#include "ih/bench/report_format.hpp"
#include "ih/hwdetect/machine_report.hpp"
#include "ih/kernels/cpu_dispatch.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace ih::agent {

namespace {

struct BenchOptions {
  double seconds = 5;
  std::uint64_t seed = 1;
  std::string device = "cpu";
  std::vector<std::string> kernels;
  unsigned threads = 0;  // 0: every usable CPU
  bool json = false;
  std::string verify;
};

// The scanner speed-ups are quoted against: the portable one when the build has it.
std::string baseline_name(const std::vector<kernels::ScannerEntry>& catalog) {
  for (const auto& e : catalog)
    if (e.name == "portable" && e.runnable) return e.name;
  return "reference";
}

std::string names_of(const std::vector<kernels::ScannerEntry>& entries) {
  std::string names;
  for (const auto& e : entries) names += (names.empty() ? "" : ", ") + e.name;
  return names;
}

// The scanners --device and --kernel select, plus the CPU baseline for the speed-up ratios.
Result<std::vector<kernels::ScannerEntry>> select_scanners(const BenchOptions& options) {
  std::vector<kernels::ScannerEntry> cpu = kernels::cpu_scanner_catalog();
  const std::string baseline = baseline_name(cpu);
  kernels::GpuScanOptions gpu_options;
  // Asking for OpenCL by name includes OpenCL CPU devices (PoCL); "all" leaves them to the
  // native CPU scanners, which are faster on the same cores.
  gpu_options.include_cpu_devices = options.device == "opencl";
  std::vector<kernels::ScannerEntry> gpu;
  if (options.device == "cuda") gpu = kernels::cuda_scanner_catalog(gpu_options);
  if (options.device == "opencl") gpu = kernels::opencl_scanner_catalog(gpu_options);
  if (options.device == "all") gpu = kernels::gpu_scanner_catalog(gpu_options);

  std::vector<kernels::ScannerEntry> pool;
  for (auto& e : cpu)
    if (options.device == "cpu" || options.device == "all" || e.name == baseline)
      pool.push_back(std::move(e));
  for (auto& e : gpu) pool.push_back(std::move(e));

  for (const auto& name : options.kernels) {
    const bool known =
        std::any_of(pool.begin(), pool.end(), [&](const auto& e) { return e.name == name; });
    if (!known)
      return make_error("no scanner named '" + name + "' for --device " + options.device +
                        " (available: " + names_of(pool) + ")");
  }
  std::vector<kernels::ScannerEntry> selected;
  for (auto& e : pool) {
    const bool named =
        std::find(options.kernels.begin(), options.kernels.end(), e.name) != options.kernels.end();
    const bool device_match =
        e.device != kernels::DeviceKind::cpu || options.device == "cpu" || options.device == "all";
    if (e.name == baseline || named || (options.kernels.empty() && device_match))
      selected.push_back(std::move(e));
  }
  return selected;
}

int run_verify(const BenchOptions& options) {
  std::string claimed = options.verify;
  std::transform(claimed.begin(), claimed.end(), claimed.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const bool well_formed =
      claimed.size() == 64 && std::all_of(claimed.begin(), claimed.end(), [](char c) {
        return std::isxdigit(static_cast<unsigned char>(c)) != 0;
      });
  if (!well_formed) {
    std::fprintf(stderr, "bench --verify: a digest is 64 hex digits, got '%s'\n",
                 options.verify.c_str());
    return 1;
  }
  const std::string expected = bench::reference_digest(options.seed);
  if (claimed != expected) {
    std::printf("digest MISMATCH for seed %llu: claimed %s, the reference scanner gives %s\n",
                static_cast<unsigned long long>(options.seed), claimed.c_str(), expected.c_str());
    return 1;
  }
  std::printf("digest OK for seed %llu: %s\n", static_cast<unsigned long long>(options.seed),
              expected.c_str());
  return 0;
}

int run_bench(const BenchOptions& options) {
  if (!options.verify.empty()) return run_verify(options);

  const hwdetect::MachineReport machine = hwdetect::detect_machine();
  const hwdetect::CpuInfo& cpu = machine.cpu;
  auto selected = select_scanners(options);
  if (!selected) {
    std::fprintf(stderr, "bench: %s\n", selected.error().message.c_str());
    return 1;
  }
  const std::string baseline = baseline_name(kernels::cpu_scanner_catalog());

  bench::BenchConfig config;
  config.seconds = options.seconds;
  config.seed = options.seed;
  config.cpu_threads = options.threads > 0 ? options.threads : std::max(1u, cpu.logical_cpus);
  // A baseline that is only there for the ratio need not take as long as the scanners asked for.
  const bool baseline_asked =
      options.device != "cuda" && options.device != "opencl" &&
      (options.kernels.empty() || std::find(options.kernels.begin(), options.kernels.end(),
                                            baseline) != options.kernels.end());
  if (!baseline_asked) config.baseline_seconds = std::min(options.seconds, 3.0);
  spdlog::info("bench: {} scanner(s), {:.1f} s each, {} CPU thread(s), seed {}", selected->size(),
               config.seconds, config.cpu_threads, config.seed);

  const bool live = isatty(STDERR_FILENO) != 0;
  bench::ProgressFn progress;
  if (live)
    progress = [](const std::string& name, double elapsed, double total, double hps) {
      std::fprintf(stderr, "\r  %-14s %5.1f/%.0f s  %10.2f MH/s ", name.c_str(), elapsed, total,
                   hps / 1e6);
      std::fflush(stderr);
    };
  bench::BenchReport report = bench::run_bench(config, *selected, baseline, progress);
  if (options.device == "cpu" || options.device == "all")
    if (auto chosen = kernels::choose_cpu_scanner(""); chosen) {
      report.chosen_cpu_kernel = chosen->entry.name;
      report.chosen_why = kernels::describe_self_benchmark(*chosen);
    }
  if (live) std::fprintf(stderr, "\r%60s\r", "");

  if (options.json)
    std::fputs(bench::format_json(report, hwdetect::machine_report_json(machine, 0)).c_str(),
               stdout);
  else
    std::fputs(bench::format_table(report).c_str(), stdout);
  for (const auto& r : report.results)
    if (r.status == bench::ResultStatus::failed)
      spdlog::error("bench: scanner {} FAILED: {}", r.scanner, r.reason);
  return report.all_ok() ? 0 : 1;
}

}  // namespace

CommandMain add_bench_command(CLI::App& app) {
  auto options = std::make_shared<BenchOptions>();
  CLI::App* sub = app.add_subcommand(
      "bench",
      "Measure every scanner on a deterministic synthetic job and print a digest that proves what "
      "was hashed (exit status 1 if any scanner produced a wrong candidate)");
  sub->add_option("-s,--seconds", options->seconds, "Timed run per scanner, in seconds")
      ->check(CLI::Range(0.1, 3600.0))
      ->capture_default_str();
  sub->add_option("--device", options->device, "Which devices: cpu, cuda, opencl or all")
      ->check(CLI::IsMember({"cpu", "cuda", "opencl", "all"}))
      ->capture_default_str();
  sub->add_option("-k,--kernel", options->kernels,
                  "Only these scanners (repeatable); the portable baseline is always measured");
  sub->add_option("-t,--threads", options->threads, "CPU threads (default: every usable CPU)")
      ->check(CLI::Range(1u, 4096u));
  sub->add_option("--seed", options->seed, "Seed of the synthetic job and digest range")
      ->capture_default_str();
  sub->add_flag("--json", options->json, "Print the report as JSON (schema: bench/README.md)");
  sub->add_option("--verify", options->verify,
                  "Recompute the digest for --seed with the reference scanner and compare; exit "
                  "status 0 when it matches");
  return [options] { return run_bench(*options); };
}

}  // namespace ih::agent
