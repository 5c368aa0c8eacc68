// Which PUs the CPU miner runs its threads on. Default: one thread per physical core, fast cores
// first on hybrid parts; `--threads N` and `--cpu-affinity LIST` override. A plan the machine
// cannot honour is an error with a message meant for the user, never a silent adjustment.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ih/hwdetect/topology.hpp"
#include "ih/result.hpp"

namespace ih::hwdetect {

struct ThreadPlan {
  std::vector<unsigned> pus;  // one mining thread per entry, pinned to this PU (OS index)
  std::string reason;         // how the plan was chosen, e.g. "one per physical core"
};

Result<ThreadPlan> plan_threads(const TopologySummary& topology, std::optional<unsigned> threads,
                                const std::optional<std::string>& affinity_list);

inline Result<ThreadPlan> plan_threads(const Topology& topology, std::optional<unsigned> threads,
                                       const std::optional<std::string>& affinity_list) {
  return plan_threads(topology.summary(), threads, affinity_list);
}

// Linux CPU list syntax, as taskset -c and /sys use it: "0-3,8,10-11". Duplicates are an error.
Result<std::vector<unsigned>> parse_cpu_list(std::string_view list);
// The inverse, with ranges collapsed: {0,1,2,3,8} -> "0-3,8".
std::string format_cpu_list(std::vector<unsigned> pus);

}  // namespace ih::hwdetect
