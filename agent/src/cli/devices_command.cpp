#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "cli/commands.hpp"
#include "ih/hwdetect/machine_report.hpp"

namespace ih::agent {

namespace {

struct DevicesOptions {
  bool json = false;
  std::optional<unsigned> threads;
  std::optional<std::string> cpu_affinity;
};

std::string bytes_text(std::uint64_t bytes) {
  char text[32];
  if (bytes >= (1ull << 30))
    std::snprintf(text, sizeof text, "%.1f GiB", static_cast<double>(bytes) / (1ull << 30));
  else if (bytes >= (1ull << 20))
    std::snprintf(text, sizeof text, "%.1f MiB", static_cast<double>(bytes) / (1ull << 20));
  else
    std::snprintf(text, sizeof text, "%llu KiB", static_cast<unsigned long long>(bytes >> 10));
  return text;
}

template <typename T>
std::string value_or_dash(const std::optional<T>& value, const char* unit) {
  if (!value) return "-";
  return std::to_string(static_cast<long long>(*value)) + unit;
}

void print_cpu(const hwdetect::MachineReport& r) {
  std::printf("CPU       %s (%s)\n", r.cpu.model.c_str(), r.cpu.vendor.c_str());
  std::printf("flags    ");
  for (const auto& flag : r.cpu.flags) std::printf(" %s", flag.c_str());
  std::printf("%s\n", r.cpu.flags.empty() ? " (none of those our scanners use)" : "");
  if (const auto& t = r.topology) {
    std::printf(
        "topology  %u package(s), %u physical core(s), %u hardware thread(s), %u NUMA node(s)\n",
        t->packages, t->cores, t->pus, t->numa_nodes);
    std::printf("caches    L2 %u x %s, L3 %u x %s\n", t->l2_caches,
                t->l2_bytes ? bytes_text(*t->l2_bytes).c_str() : "?", t->l3_caches,
                t->l3_bytes ? bytes_text(*t->l3_bytes).c_str() : "?");
    for (const auto& kind : t->kinds)
      if (t->hybrid())
        std::printf("kind      %s (efficiency %d): CPUs %s\n",
                    kind.core_type.empty() ? "unnamed" : kind.core_type.c_str(), kind.efficiency,
                    hwdetect::format_cpu_list(kind.pus).c_str());
  } else {
    std::printf("topology  unknown: %s\n", r.topology_error.c_str());
  }
  if (r.thread_plan)
    std::printf("plan      %zu mining thread(s) pinned to CPUs %s (%s)\n",
                r.thread_plan->pus.size(), hwdetect::format_cpu_list(r.thread_plan->pus).c_str(),
                r.thread_plan->reason.c_str());
  else
    std::printf("plan      none: %s\n", r.thread_plan_error.c_str());
}

void print_cuda(const hwdetect::MachineReport& r) {
  const auto& c = r.cuda;
  std::printf("\nCUDA      %zu device(s); driver %s, kernels built for %s\n", c.devices.size(),
              c.driver_version ? hwdetect::cuda_version_string(*c.driver_version).c_str() : "-",
              c.runtime_version ? hwdetect::cuda_version_string(*c.runtime_version).c_str()
                                : "- (no CUDA kernels in this build)");
  if (!c.reason.empty()) std::printf("          not usable: %s\n", c.reason.c_str());
  if (!c.devices.empty())
    std::printf("  %-3s %-28s %-5s %5s %10s %9s %6s %8s %5s %5s\n", "#", "name", "cc", "SMs",
                "memory", "clock", "temp", "power", "fan", "util");
  for (const auto& d : c.devices) {
    const std::string cc = std::to_string(d.compute_major) + "." + std::to_string(d.compute_minor);
    std::printf("  %-3d %-28s %-5s %5d %10s %9s %6s %8s %5s %5s\n", d.index, d.name.c_str(),
                cc.c_str(), d.multiprocessors, bytes_text(d.memory_bytes).c_str(),
                value_or_dash(d.clock_mhz, " MHz").c_str(),
                value_or_dash(d.health.temperature_c, " C").c_str(),
                value_or_dash(d.health.power_w, " W").c_str(),
                value_or_dash(d.health.fan_percent, "%").c_str(),
                value_or_dash(d.health.utilization_percent, "%").c_str());
  }
  std::printf("GPU health %s\n",
              r.nvml.available
                  ? ("from NVML, driver " + r.nvml.driver_version.value_or("?")).c_str()
                  : ("unavailable: " + r.nvml.reason).c_str());
}

void print_opencl(const hwdetect::MachineReport& r) {
  const auto& o = r.opencl;
  std::printf("\nOpenCL    %zu platform(s), %zu device(s)\n", o.platforms.size(), o.device_count());
  if (!o.reason.empty()) std::printf("          not usable: %s\n", o.reason.c_str());
  for (const auto& p : o.platforms) {
    std::printf("  platform %s (%s), %s\n", p.name.c_str(), p.vendor.c_str(), p.version.c_str());
    if (!p.error.empty()) std::printf("    %s\n", p.error.c_str());
    for (const auto& d : p.devices)
      std::printf("    %-4s %s: %u compute units, %s, %s, driver %s\n", d.type.c_str(),
                  d.name.c_str(), d.compute_units, bytes_text(d.global_memory_bytes).c_str(),
                  d.opencl_version.c_str(), d.driver_version.c_str());
  }
}

int run_devices(const DevicesOptions& options) {
  hwdetect::DetectOptions detect;
  detect.threads = options.threads;
  detect.cpu_affinity = options.cpu_affinity;
  const hwdetect::MachineReport report = hwdetect::detect_machine(detect);
  // A plan the user asked for and the machine cannot honour is an error, not a footnote.
  if ((options.threads || options.cpu_affinity) && !report.thread_plan) {
    std::fprintf(stderr, "infinite-hashes devices: %s\n", report.thread_plan_error.c_str());
    return 1;
  }
  if (options.json) {
    std::printf("%s\n", hwdetect::machine_report_json(report).c_str());
    return 0;
  }
  print_cpu(report);
  print_cuda(report);
  print_opencl(report);
  return 0;
}

}  // namespace

CommandMain add_devices_command(CLI::App& app) {
  auto options = std::make_shared<DevicesOptions>();
  CLI::App* sub = app.add_subcommand(
      "devices", "List the hardware this agent can mine on and why: CPU features, GPUs");
  sub->add_flag("--json", options->json, "Print the report as JSON (schema: docs/devices-json.md)");
  sub->add_option("--threads", options->threads,
                  "Show the plan for N CPU mining threads (default: one per physical core)");
  sub->add_option("--cpu-affinity", options->cpu_affinity,
                  "Show the plan for mining only on these CPUs, e.g. 0-3,8");
  return [options] { return run_devices(*options); };
}

}  // namespace ih::agent
