// `infinite-hashes mine` settings: one schema for flags, the JSON config file and IH_* variables.
// Precedence: flags > environment > file > defaults. Pool settings: a pool's own value (after
// its -o, or in its `pools` entry) beats the defaults, which the top-level keys, IH_* variables
// and flags before the first -o set (config/pool_config.hpp).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/api_config.hpp"
#include "config/pool_config.hpp"
#include "config/proof_config.hpp"
#include "config/watchdog_config.hpp"
#include "ih/result.hpp"

namespace ih::agent {

struct MineConfig {
  std::vector<PoolEntry> pools;  // failover order; empty: the built-in local pool
  // Defaults for every pool:
  std::string user;
  std::string pass = "x";
  std::string tls_ca;
  bool tls_insecure = false;
  std::string tls_fingerprint;
  double suggest_difficulty = 0;
  unsigned threads = 0;      // 0: one per physical core (hwdetect's thread plan)
  std::string cpu_affinity;  // Linux CPU list ("0-3,8"): pin one thread to each
  std::string cpu_kernel = "auto";
  std::vector<int> cuda_devices;
  std::vector<int> opencl_devices;
  bool no_cpu = false;
  bool no_gpu = false;  // leave every GPU alone (default: mine on every runnable GPU)
  std::string hotkey;   // SS58 address; with worker builds the SN89 user name
  std::string worker;
  std::string subaccount = "sn89auction";
  double stats_interval = 10;         // seconds between speed lines
  double device_stats_interval = 60;  // seconds between per-device lines; 0: never
  WatchdogConfig watchdog;            // dead pools and the share-rate guard
  ApiConfig api;                      // status endpoints (config/api_config.hpp)
  ProofConfig proof;                  // share proofs, reports (config/proof_config.hpp)
};

// Every key the file may hold (the flag names without dashes).
const std::vector<std::string>& mine_config_keys();

// Applies a JSON document over `config`. Errors name the offending key.
Result<MineConfig> apply_config_json(MineConfig config, const std::string& json_text);
Result<MineConfig> apply_config_file(MineConfig config, const std::string& path);

// Applies IH_URL, IH_USER, IH_PASS, IH_HOTKEY, IH_WORKER from `env` (name -> value).
MineConfig apply_environment(MineConfig config, const std::map<std::string, std::string>& env);
std::map<std::string, std::string> read_ih_environment();

// Checks the whole configuration; errors name the field (and the pool). Returns the enabled
// pools, resolved, in failover order (resolve_pools).
Result<std::vector<ResolvedPool>> validate_config(const MineConfig& config);

// The effective configuration as JSON, secrets masked; "pools" is the resolved list.
std::string config_to_masked_json(const MineConfig& config);

}  // namespace ih::agent
