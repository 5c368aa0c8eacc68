// The config file's `pools` array (xmrig-style objects) and the resolved list as JSON. Private
// to the config code: nlohmann stays out of widely included headers.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

#include "config/pool_config.hpp"

namespace ih::agent {

// "config key 'KEY': expected EXPECTED, got TYPE VALUE".
Error config_type_error(const std::string& key, const char* expected, const nlohmann::json& value);

// Keys of one pool object: url, user, pass, hotkey, worker, subaccount, tls_ca, tls_insecure,
// tls_fingerprint, enabled, suggest_difficulty. Errors name the key as pools[i].key.
Result<std::vector<PoolEntry>> pools_from_json(const nlohmann::json& value);

// The resolved pools in failover order, passwords masked.
nlohmann::json pools_to_masked_json(const std::vector<ResolvedPool>& pools);

}  // namespace ih::agent
