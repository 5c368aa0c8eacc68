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
  std::vector<kernels::ScannerEntry> selected;
  std::string baseline;
  if (options.device == "cpu" || options.device == "all") {
    auto catalog = kernels::cpu_scanner_catalog();
    baseline = baseline_name(catalog);
    for (const auto& name : options.kernels) {
      const bool known = std::any_of(catalog.begin(), catalog.end(),
                                     [&](const auto& e) { return e.name == name; });
      if (!known) {
        std::string names;
        for (const auto& e : catalog) names += (names.empty() ? "" : ", ") + e.name;
        std::fprintf(stderr, "bench: no CPU scanner named '%s' (available: %s)\n", name.c_str(),
                     names.c_str());
        return 1;
      }
    }
    for (auto& e : catalog) {
      const bool wanted = options.kernels.empty() || e.name == baseline ||
                          std::find(options.kernels.begin(), options.kernels.end(), e.name) !=
                              options.kernels.end();
      if (wanted) selected.push_back(std::move(e));
    }
  }
  if (options.device == "cuda" || options.device == "opencl") {
    std::fprintf(stderr, "bench: GPU scanners are not in this build yet (--device %s)\n",
                 options.device.c_str());
    return kExitNotImplemented;
  }

  bench::BenchConfig config;
  config.seconds = options.seconds;
  config.seed = options.seed;
  config.cpu_threads = options.threads > 0 ? options.threads : std::max(1u, cpu.logical_cpus);
  spdlog::info("bench: {} scanner(s), {:.1f} s each, {} CPU thread(s), seed {}", selected.size(),
               config.seconds, config.cpu_threads, config.seed);

  const bool live = isatty(STDERR_FILENO) != 0;
  bench::ProgressFn progress;
  if (live)
    progress = [](const std::string& name, double elapsed, double total, double hps) {
      std::fprintf(stderr, "\r  %-14s %5.1f/%.0f s  %10.2f MH/s ", name.c_str(), elapsed, total,
                   hps / 1e6);
      std::fflush(stderr);
    };
  const bench::BenchReport report = bench::run_bench(config, selected, baseline, progress);
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
