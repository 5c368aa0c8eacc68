#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.hpp"
#include "ih/hwdetect/cpu.hpp"

namespace ih::agent {

namespace {

int run_devices() {
  const hwdetect::CpuInfo cpu = hwdetect::detect_cpu();
  std::printf("CPU     %s (%s)\n", cpu.model.c_str(), cpu.vendor.c_str());
  std::printf("threads %u usable\n", cpu.logical_cpus);
  std::printf("flags  ");
  for (const auto& flag : cpu.flags) std::printf(" %s", flag.c_str());
  std::printf("%s\n", cpu.flags.empty() ? " (none of interest)" : "");
  return 0;
}

}  // namespace

CommandMain add_devices_command(CLI::App& app) {
  app.add_subcommand("devices",
                     "List the hardware this agent can mine on and why: CPU features, GPUs");
  return [] { return run_devices(); };
}

}  // namespace ih::agent
