#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/cpu_thread_plan.hpp"
#include "cli/mine_run.hpp"
#include "cli/pool_options.hpp"
#include "cli/watchdog_flags.hpp"
#include "config/mine_config.hpp"
#include "engine/gpu_selection.hpp"
#include "engine/signals.hpp"

namespace ih::agent {

namespace {

struct MineFlags {
  MineConfig values;
  std::string config_file;
  bool print_config = false;
  bool dry_run = false;
  CLI::App* sub = nullptr;
};

// Defaults, then the file, then IH_* variables, then the flags actually given.
Result<MineConfig> effective_config(const MineFlags& f) {
  MineConfig c;
  if (!f.config_file.empty()) {
    auto from_file = apply_config_file(c, f.config_file);
    if (!from_file) return from_file.error();
    c = *from_file;
  }
  const auto env = read_ih_environment();
  c = apply_environment(std::move(c), env);
  if (auto proof_env = apply_proof_environment(c.proof, env); !proof_env) return proof_env.error();
  auto pool_flags = read_pool_options(*f.sub);
  if (!pool_flags) return pool_flags.error();
  apply_pool_command_line(c, *pool_flags);
  auto given = [&](const char* name) { return f.sub->count(name) > 0; };
  const MineConfig& v = f.values;
  if (given("--threads")) c.threads = v.threads;
  if (given("--cpu-kernel")) c.cpu_kernel = v.cpu_kernel;
  if (given("--cpu-affinity")) c.cpu_affinity = v.cpu_affinity;
  if (given("--cuda-devices")) c.cuda_devices = v.cuda_devices;
  if (given("--opencl-devices")) c.opencl_devices = v.opencl_devices;
  if (given("--no-cpu")) c.no_cpu = v.no_cpu;
  if (given("--no-gpu")) c.no_gpu = v.no_gpu;
  if (given("--stats-interval")) c.stats_interval = v.stats_interval;
  if (given("--device-stats-interval")) c.device_stats_interval = v.device_stats_interval;
  apply_given_watchdog_flags(*f.sub, v.watchdog, c.watchdog);
  apply_api_flags(c.api, v.api, *f.sub);
  apply_given_proof_flags(*f.sub, v.proof, c.proof);
  return c;
}

int run(const MineFlags& flags) {
  // Before anything starts a thread (OpenCL/CUDA runtimes do while devices are listed): every
  // thread inherits the blocked mask, so SIGINT/SIGTERM reach only the mining loop's sigwait.
  if (!flags.dry_run) block_control_signals();
  auto config = effective_config(flags);
  if (!config) {
    std::fprintf(stderr, "infinite-hashes mine: %s\n", config.error().message.c_str());
    return kExitBadConfig;
  }
  auto pools = validate_config(*config);
  if (!pools) {
    std::fprintf(stderr, "infinite-hashes mine: %s\n", pools.error().message.c_str());
    return kExitBadConfig;
  }
  if (auto api = validate_api_config(config->api); !api) {
    std::fprintf(stderr, "infinite-hashes mine: %s\n", api.error().message.c_str());
    return kExitApiRefused;  // nothing started
  }
  // The thread plan needs this machine's topology: --threads 64 on 8 cores fails here too.
  if (!config->no_cpu)
    if (auto plan = plan_cpu_threads(*config); !plan) {
      std::fprintf(stderr, "infinite-hashes mine: %s\n", plan.error().message.c_str());
      return kExitBadConfig;
    }
  // So do GPU indices that this machine does not have.
  auto gpus = select_gpu_devices(config->cuda_devices, config->opencl_devices, config->no_gpu);
  if (!gpus) {
    std::fprintf(stderr, "infinite-hashes mine: %s\n", gpus.error().message.c_str());
    return kExitBadConfig;
  }
  if (config->no_cpu && gpus->devices.empty()) {
    std::string why;
    for (const auto& line : gpus->unavailable) why += "\n  " + line;
    std::fprintf(stderr, "infinite-hashes mine: no-cpu: and no GPU can mine here%s\n", why.c_str());
    return kExitBadConfig;
  }
  auto proof = validate_proof_config(config->proof);
  if (!proof) {
    std::fprintf(stderr, "infinite-hashes mine: %s\n", proof.error().message.c_str());
    return kExitBadConfig;
  }
  config->proof = std::move(*proof);
  if (flags.print_config) std::printf("%s\n", config_to_masked_json(*config).c_str());
  if (flags.dry_run) {
    for (const auto& pool : *pools)
      std::printf("pool %zu: %s\n", pool.index, describe_pool(pool).c_str());
    std::fprintf(stderr, "infinite-hashes mine: configuration OK (dry run, nothing started)\n");
    return 0;
  }
  return run_mining(*config, *pools, std::move(*gpus));
}

}  // namespace

CommandMain add_mine_command(CLI::App& app) {
  auto f = std::make_shared<MineFlags>();
  CLI::App* sub = app.add_subcommand(
      "mine",
      "Mine: hash on every selected device and submit CPU-verified shares to the pool (or to "
      "the built-in local pool when no pool is given). Ctrl-C stops and prints a summary.");
  f->sub = sub;
  MineConfig& v = f->values;
  add_pool_options(*sub);
  sub->add_option("-t,--threads", v.threads, "CPU mining threads (0: one per physical core)");
  sub->add_option("--cpu-affinity", v.cpu_affinity,
                  "Pin mining threads to these CPUs, Linux list syntax (e.g. 0-3,8)");
  sub->add_option("--cpu-kernel", v.cpu_kernel, "CPU kernel name, or auto");
  sub->add_option("--cuda-devices", v.cuda_devices,
                  "Only these CUDA devices, e.g. 0,1 (default: every usable NVIDIA GPU)")
      ->delimiter(',');
  sub->add_option("--opencl-devices", v.opencl_devices,
                  "Only these OpenCL devices, by their order in `devices`, e.g. 0,1 (default: "
                  "every usable OpenCL GPU; CPU devices only when listed)")
      ->delimiter(',');
  sub->add_flag("--no-cpu", v.no_cpu, "Do not mine on the CPU");
  sub->add_flag("--no-gpu", v.no_gpu, "Do not mine on any GPU");
  sub->add_option("--stats-interval", v.stats_interval, "Seconds between speed lines")
      ->capture_default_str();
  sub->add_option("--device-stats-interval", v.device_stats_interval,
                  "Seconds between per-device lines (0: only on SIGUSR1)")
      ->capture_default_str();
  add_watchdog_flags(*sub, v.watchdog);
  add_api_options(*sub, v.api);
  add_proof_options(*sub, v.proof);
  sub->add_option("-c,--config", f->config_file,
                  "JSON config file with the same keys as the flags (flags override it)");
  sub->add_flag("--print-config", f->print_config, "Print the effective config (secrets masked)");
  sub->add_flag("--dry-run", f->dry_run, "Validate the configuration and exit (0 when valid)");
  return [f] { return run(*f); };
}

}  // namespace ih::agent
