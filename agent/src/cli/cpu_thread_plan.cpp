#include "cli/cpu_thread_plan.hpp"

#include <optional>

#include "ih/hwdetect/thread_plan.hpp"

namespace ih::agent {

Result<CpuThreadPlan> plan_cpu_threads(const MineConfig& config) {
  auto topology = hwdetect::Topology::detect();
  if (!topology) return make_error("cannot read the CPU topology: " + topology.error().message);
  auto plan = hwdetect::plan_threads(
      *topology, config.threads ? std::optional<unsigned>(config.threads) : std::nullopt,
      config.cpu_affinity.empty() ? std::nullopt : std::optional<std::string>(config.cpu_affinity));
  if (!plan) return make_error("threads: " + plan.error().message);
  CpuThreadPlan out;
  out.pus = std::move(plan->pus);
  out.reason = std::move(plan->reason);
  out.topology = std::make_shared<const hwdetect::Topology>(std::move(*topology));
  return out;
}

}  // namespace ih::agent
