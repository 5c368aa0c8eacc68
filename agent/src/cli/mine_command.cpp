#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/cpu_thread_plan.hpp"
#include "cli/mine_run.hpp"
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
  c = apply_environment(std::move(c), read_ih_environment());
  auto given = [&](const char* name) { return f.sub->count(name) > 0; };
  const MineConfig& v = f.values;
  if (given("--url")) c.urls = v.urls;
  if (given("--user")) c.user = v.user;
  if (given("--pass")) c.pass = v.pass;
  if (given("--threads")) c.threads = v.threads;
  if (given("--cpu-kernel")) c.cpu_kernel = v.cpu_kernel;
  if (given("--cpu-affinity")) c.cpu_affinity = v.cpu_affinity;
  if (given("--cuda-devices")) c.cuda_devices = v.cuda_devices;
  if (given("--opencl-devices")) c.opencl_devices = v.opencl_devices;
  if (given("--no-cpu")) c.no_cpu = v.no_cpu;
  if (given("--no-gpu")) c.no_gpu = v.no_gpu;
  if (given("--hotkey")) c.hotkey = v.hotkey;
  if (given("--worker")) c.worker = v.worker;
  if (given("--subaccount")) c.subaccount = v.subaccount;
  if (given("--stats-interval")) c.stats_interval = v.stats_interval;
  if (given("--device-stats-interval")) c.device_stats_interval = v.device_stats_interval;
  apply_api_flags(c.api, v.api, *f.sub);
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
  auto user = validate_config(*config);
  if (!user) {
    std::fprintf(stderr, "infinite-hashes mine: %s\n", user.error().message.c_str());
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
  if (flags.print_config) std::printf("%s\n", config_to_masked_json(*config).c_str());
  if (flags.dry_run) {
    std::fprintf(stderr, "infinite-hashes mine: configuration OK (dry run, nothing started)\n");
    return 0;
  }
  return run_mining(*config, *user, std::move(*gpus));
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
  sub->add_option("-o,--url", v.urls,
                  "Pool URL stratum+tcp://host:port (repeat for failover, in order); none: the "
                  "built-in local pool");
  sub->add_option("-u,--user", v.user, "Worker name for the pool (env IH_USER)");
  sub->add_option("-p,--pass", v.pass, "Pool password (env IH_PASS)");
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
  sub->add_option("--hotkey", v.hotkey,
                  "SN89: your hotkey's SS58 address; with --worker the user becomes "
                  "<subaccount>.<hotkey>.<worker> (env IH_HOTKEY)");
  sub->add_option("--worker", v.worker, "SN89: worker name (env IH_WORKER)");
  sub->add_option("--subaccount", v.subaccount, "SN89: subaccount")->capture_default_str();
  sub->add_option("--stats-interval", v.stats_interval, "Seconds between speed lines")
      ->capture_default_str();
  sub->add_option("--device-stats-interval", v.device_stats_interval,
                  "Seconds between per-device lines (0: only on SIGUSR1)")
      ->capture_default_str();
  add_api_options(*sub, v.api);
  sub->add_option("-c,--config", f->config_file,
                  "JSON config file with the same keys as the flags (flags override it)");
  sub->add_flag("--print-config", f->print_config, "Print the effective config (secrets masked)");
  sub->add_flag("--dry-run", f->dry_run, "Validate the configuration and exit (0 when valid)");
  return [f] { return run(*f); };
}

}  // namespace ih::agent
