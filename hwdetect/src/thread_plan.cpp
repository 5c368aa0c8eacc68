#include "ih/hwdetect/thread_plan.hpp"

#include <algorithm>
#include <set>

namespace ih::hwdetect {

namespace {

// How fast a core's kind is; equal for every core when hwloc knows no efficiencies.
int speed_rank(const TopologySummary& topology, const CoreInfo& core) {
  if (core.kind < 0 || static_cast<std::size_t>(core.kind) >= topology.kinds.size()) return 0;
  return std::max(0, topology.kinds[static_cast<std::size_t>(core.kind)].efficiency);
}

// Every PU in the order threads should take them: the first hardware thread of every core
// (fastest kind first, then hwloc order), then every core's second hardware thread, and so on.
std::vector<unsigned> preferred_pu_order(const TopologySummary& topology,
                                         const std::set<unsigned>* allowed) {
  std::vector<const CoreInfo*> cores;
  for (const CoreInfo& core : topology.core_list) cores.push_back(&core);
  std::stable_sort(cores.begin(), cores.end(), [&](const CoreInfo* a, const CoreInfo* b) {
    return speed_rank(topology, *a) > speed_rank(topology, *b);
  });
  std::vector<std::vector<unsigned>> usable;  // per core, the PUs the plan may use
  for (const CoreInfo* core : cores) {
    std::vector<unsigned> pus;
    for (unsigned pu : core->pus)
      if (allowed == nullptr || allowed->count(pu) != 0) pus.push_back(pu);
    usable.push_back(std::move(pus));
  }
  std::vector<unsigned> order;
  for (std::size_t round = 0;; ++round) {
    const std::size_t before = order.size();
    for (const auto& pus : usable)
      if (round < pus.size()) order.push_back(pus[round]);
    if (order.size() == before) return order;
  }
}

std::string plural(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

std::string machine_size(const TopologySummary& topology) {
  return plural(topology.pus, "hardware thread", "hardware threads") + " on " +
         plural(topology.cores, "physical core", "physical cores");
}

}  // namespace

Result<ThreadPlan> plan_threads(const TopologySummary& topology, std::optional<unsigned> threads,
                                const std::optional<std::string>& affinity_list) {
  if (threads && *threads == 0) return make_error("--threads must be at least 1");
  ThreadPlan plan;
  if (!affinity_list) {
    std::vector<unsigned> order = preferred_pu_order(topology, nullptr);
    if (!threads) {
      order.resize(topology.cores);
      plan.pus = std::move(order);
      plan.reason = topology.hybrid() ? "one per physical core, fastest cores first"
                                      : "one per physical core";
      return plan;
    }
    if (*threads > order.size())
      return make_error("--threads " + std::to_string(*threads) +
                        " is more than this machine can run at once: it has " +
                        machine_size(topology) + "; use at most " + std::to_string(order.size()));
    order.resize(*threads);
    plan.pus = std::move(order);
    plan.reason = "--threads " + std::to_string(*threads) + ", spread over physical cores first";
    return plan;
  }

  const auto listed = parse_cpu_list(*affinity_list);
  if (!listed) return make_error("--cpu-affinity: " + listed.error().message);
  std::set<unsigned> available;
  for (const CoreInfo& core : topology.core_list)
    available.insert(core.pus.begin(), core.pus.end());
  std::vector<unsigned> all(available.begin(), available.end());
  for (unsigned pu : *listed)
    if (available.count(pu) == 0)
      return make_error("--cpu-affinity " + *affinity_list + ": CPU " + std::to_string(pu) +
                        " does not exist or this process may not run on it (available: " +
                        format_cpu_list(all) + ")");
  const std::set<unsigned> allowed(listed->begin(), listed->end());
  std::vector<unsigned> order = preferred_pu_order(topology, &allowed);
  if (threads && *threads > order.size())
    return make_error("--threads " + std::to_string(*threads) + " is more than the " +
                      plural(order.size(), "CPU", "CPUs") + " in --cpu-affinity " + *affinity_list);
  if (threads) order.resize(*threads);
  plan.pus = std::move(order);
  plan.reason = "--cpu-affinity " + *affinity_list +
                (threads ? ", --threads " + std::to_string(*threads) : std::string());
  return plan;
}

}  // namespace ih::hwdetect
