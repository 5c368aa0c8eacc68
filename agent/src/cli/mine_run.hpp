// The running part of `infinite-hashes mine`: local pool (if needed), engine, console loop,
// shutdown and summary.
#pragma once

#include <string>
#include <vector>

#include "config/mine_config.hpp"
#include "engine/gpu_selection.hpp"

namespace ih::agent {

// Exit status for a configuration that does not validate.
inline constexpr int kExitBadConfig = 1;

// Mines until SIGINT/SIGTERM; returns the exit status. `pools`: validate_config()'s list (one
// entry with an empty url: the built-in local pool).
int run_mining(const MineConfig& config, std::vector<ResolvedPool> pools, GpuSelection gpus);

}  // namespace ih::agent
