// `mine` settings of the status endpoints (HTTP API, dashboard, /metrics, cgminer API), kept in
// their own struct so MineConfig only holds one member for them.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ih/result.hpp"

namespace CLI {
class App;
}

namespace ih::agent {

inline constexpr const char* kDefaultApiBind = "127.0.0.1:4048";

struct ApiConfig {
  std::string bind = kDefaultApiBind;  // HOST:PORT, or "off"
  bool bind_given = false;             // chosen by the user: failing to bind is then fatal
  std::string token;                   // Bearer token; empty: none (loopback only)
  std::string tls_cert;                // PEM files: serve HTTPS
  std::string tls_key;
  bool write = false;                      // enable POST /json_rpc (needs a token)
  std::string cgminer_bind;                // HOST:PORT of the cgminer TCP API; empty: off
  std::vector<std::string> cgminer_allow;  // CIDRs that may use it (beside loopback)
};

// Exit status when the API settings are refused (non-loopback without a token, ...).
inline constexpr int kExitApiRefused = 2;

// The config-file keys (api_token is accepted as another spelling of api-token).
const std::vector<std::string>& api_config_keys();

// Registers --api-bind, --api-token, --api-tls-cert, --api-tls-key, --api-write, --cgminer-api,
// --cgminer-api-allow on `mine`, into `values`.
void add_api_options(CLI::App& sub, ApiConfig& values);
// Copies the flags the user actually gave from `flags` over `config`.
void apply_api_flags(ApiConfig& config, const ApiConfig& flags, const CLI::App& sub);
// IH_API_TOKEN.
void apply_api_environment(ApiConfig& config, const std::map<std::string, std::string>& env);

// The safety rules (checked before anything starts): a bind off loopback needs a token, writes
// need a token, TLS needs both files, the cgminer API off loopback needs an allow list.
Result<bool> validate_api_config(const ApiConfig& config);

}  // namespace ih::agent
