// Config-file keys of ApiConfig; private to mine_config.cpp and api_config.cpp (nlohmann).
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "config/api_config.hpp"

namespace ih::agent {

// Applies `key` when it is one of ApiConfig's; nullopt when the key is not an API key.
std::optional<Result<bool>> apply_api_key(ApiConfig& config, const std::string& key,
                                          const nlohmann::json& value);
// The settings for --print-config, token masked.
nlohmann::json api_config_to_masked_json(const ApiConfig& config);

}  // namespace ih::agent
