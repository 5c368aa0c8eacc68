#include "config/api_config.hpp"

#include <nlohmann/json.hpp>

#include <CLI/CLI.hpp>

#include "config/api_config_keys.hpp"
#include "config/pool_url.hpp"
#include "config/quoted.hpp"
#include "status/address_policy.hpp"

namespace ih::agent {

const std::vector<std::string>& api_config_keys() {
  static const std::vector<std::string> keys = {"api-bind",         "api-token", "api-tls-cert",
                                                "api-tls-key",      "api-write", "cgminer-api",
                                                "cgminer-api-allow"};
  return keys;
}

void add_api_options(CLI::App& sub, ApiConfig& v) {
  sub.add_option("--api-bind", v.bind,
                 "Status API/dashboard/metrics address HOST:PORT, or off (port 0: any free one)")
      ->capture_default_str();
  sub.add_option("--api-token", v.token,
                 "Bearer token for the status API (env IH_API_TOKEN); needed off loopback");
  sub.add_option("--api-tls-cert", v.tls_cert, "Serve the status API over HTTPS: PEM certificate");
  sub.add_option("--api-tls-key", v.tls_key, "PEM private key for --api-tls-cert");
  sub.add_flag("--api-write", v.write, "Enable POST /json_rpc pause/resume (needs --api-token)");
  sub.add_option("--cgminer-api", v.cgminer_bind,
                 "cgminer-compatible TCP API on HOST:PORT (default off)");
  sub.add_option("--cgminer-api-allow", v.cgminer_allow,
                 "CIDR that may use the cgminer API besides loopback (repeatable)");
}

void apply_api_flags(ApiConfig& c, const ApiConfig& v, const CLI::App& sub) {
  auto given = [&](const char* name) { return sub.count(name) > 0; };
  if (given("--api-bind")) {
    c.bind = v.bind;
    c.bind_given = true;
  }
  if (given("--api-token")) c.token = v.token;
  if (given("--api-tls-cert")) c.tls_cert = v.tls_cert;
  if (given("--api-tls-key")) c.tls_key = v.tls_key;
  if (given("--api-write")) c.write = v.write;
  if (given("--cgminer-api")) c.cgminer_bind = v.cgminer_bind;
  if (given("--cgminer-api-allow")) c.cgminer_allow = v.cgminer_allow;
}

void apply_api_environment(ApiConfig& c, const std::map<std::string, std::string>& env) {
  if (auto it = env.find("IH_API_TOKEN"); it != env.end() && !it->second.empty())
    c.token = it->second;
}

std::optional<Result<bool>> apply_api_key(ApiConfig& c, const std::string& key,
                                          const nlohmann::json& v) {
  auto string_into = [&](std::string& field) -> Result<bool> {
    if (!v.is_string())
      return make_error("config key '" + key + "': expected a string, got " + v.type_name());
    field = v.get<std::string>();
    return true;
  };
  if (key == "api-bind") {
    c.bind_given = true;
    return string_into(c.bind);
  }
  if (key == "api-token" || key == "api_token") return string_into(c.token);
  if (key == "api-tls-cert") return string_into(c.tls_cert);
  if (key == "api-tls-key") return string_into(c.tls_key);
  if (key == "cgminer-api") return string_into(c.cgminer_bind);
  if (key == "api-write") {
    if (!v.is_boolean())
      return Result<bool>(make_error("config key 'api-write': expected true or false"));
    c.write = v.get<bool>();
    return Result<bool>(true);
  }
  if (key == "cgminer-api-allow") {
    if (!v.is_array())
      return Result<bool>(make_error("config key 'cgminer-api-allow': expected an array"));
    c.cgminer_allow.clear();
    for (const auto& item : v) {
      if (!item.is_string())
        return Result<bool>(make_error("config key 'cgminer-api-allow': expected strings"));
      c.cgminer_allow.push_back(item.get<std::string>());
    }
    return Result<bool>(true);
  }
  return std::nullopt;
}

nlohmann::json api_config_to_masked_json(const ApiConfig& c) {
  return {{"api-bind", c.bind},
          {"api-token", c.token.empty() ? "" : "***"},
          {"api-tls-cert", c.tls_cert},
          {"api-tls-key", c.tls_key},
          {"api-write", c.write},
          {"cgminer-api", c.cgminer_bind},
          {"cgminer-api-allow", c.cgminer_allow}};
}

Result<bool> validate_api_config(const ApiConfig& c) {
  if (c.bind != "off") {
    auto address = parse_bind_address(c.bind);
    if (!address) return make_error("api-bind: " + address.error().message);
    if (!c.token.empty() && c.token.size() < 8)
      return make_error("api-token: use at least 8 characters");
    if (c.token.empty() && !status::is_loopback_host(address->host))
      return make_error("api-bind: " + agent::quoted(c.bind) +
                        " is reachable from other machines: set --api-token (or IH_API_TOKEN) "
                        "first, or bind to 127.0.0.1");
    if (c.tls_cert.empty() != c.tls_key.empty())
      return make_error("api-tls-cert: --api-tls-cert and --api-tls-key go together");
  }
  if (c.write && c.token.empty())
    return make_error("api-write: the control routes need --api-token (or IH_API_TOKEN)");
  if (c.write && c.bind == "off") return make_error("api-write: the API is off (--api-bind off)");
  if (!c.cgminer_bind.empty()) {
    auto address = parse_bind_address(c.cgminer_bind);
    if (!address) return make_error("cgminer-api: " + address.error().message);
    for (const auto& cidr : c.cgminer_allow)
      if (auto parsed = status::parse_cidr(cidr); !parsed)
        return make_error("cgminer-api-allow: " + parsed.error().message);
    if (!status::is_loopback_host(address->host) && c.cgminer_allow.empty())
      return make_error("cgminer-api: " + agent::quoted(c.cgminer_bind) +
                        " is reachable from other machines and the cgminer protocol has no "
                        "authentication: add --cgminer-api-allow CIDR, or bind to 127.0.0.1");
  }
  return true;
}

}  // namespace ih::agent
