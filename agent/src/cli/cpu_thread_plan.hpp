// Which CPUs `mine` hashes on: hwdetect's thread plan for --threads / --cpu-affinity.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "config/mine_config.hpp"
#include "ih/hwdetect/topology.hpp"
#include "ih/result.hpp"

namespace ih::agent {

struct CpuThreadPlan {
  std::vector<unsigned> pus;  // one mining thread pinned to each
  std::string reason;
  std::shared_ptr<const hwdetect::Topology> topology;
};

Result<CpuThreadPlan> plan_cpu_threads(const MineConfig& config);

}  // namespace ih::agent
