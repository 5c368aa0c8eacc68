// The running part of `infinite-hashes mine`: local pool (if needed), engine, console loop,
// shutdown and summary.
#pragma once

#include <string>

#include "config/mine_config.hpp"
#include "engine/gpu_selection.hpp"

namespace ih::agent {

// Exit status for a configuration that does not validate.
inline constexpr int kExitBadConfig = 1;

// Mines until SIGINT/SIGTERM; returns the exit status.
int run_mining(const MineConfig& config, const std::string& user, GpuSelection gpus);

}  // namespace ih::agent
