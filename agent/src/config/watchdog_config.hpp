// `mine` settings for dead-pool detection and the share-rate guard (README "Dead pools"):
// their own struct, file keys and flags, hooked into MineConfig / the mine command by one line.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ih/result.hpp"
#include "ih/stratum/client/watchdog_options.hpp"

namespace ih::agent {

struct WatchdogConfig {
  double pool_job_timeout = 30;      // s after authorize for a first valid job
  double pool_stale_after = 300;     // s without mining.notify
  double pool_max_reject_ratio = 0;  // 0..1; 0: never fail over for rejects
  double pool_max_share_rate = 20;   // shares/s per pool the local target is raised to hold
};

const std::vector<std::string>& watchdog_config_keys();
// Applies one config-file key; nullopt when `key` is not one of watchdog_config_keys().
std::optional<Result<bool>> apply_watchdog_key(WatchdogConfig& config, const std::string& key,
                                               const nlohmann::json& value);
void add_watchdog_json(const WatchdogConfig& config, nlohmann::json& doc);
Result<bool> validate_watchdog(const WatchdogConfig& config);
stratum::PoolWatchdog to_pool_watchdog(const WatchdogConfig& config);

}  // namespace ih::agent
