#include "config/pool_json.hpp"

#include <nlohmann/json.hpp>

#include "config/pool_url.hpp"

namespace ih::agent {

namespace {

using nlohmann::json;

Result<PoolEntry> pool_from_json(const std::string& where, const json& object) {
  if (!object.is_object())
    return config_type_error(where, "an object with at least \"url\"", object);
  PoolEntry entry;
  PoolSettings& s = entry.settings;
  bool has_url = false;
  for (const auto& item : object.items()) {
    // Named, not structured bindings: clang 14 (the fuzz build) cannot capture those in lambdas.
    const std::string& key = item.key();
    const json& v = item.value();
    const std::string name = where + "." + key;
    auto text = [&](std::optional<std::string>& field) -> Result<bool> {
      if (!v.is_string()) return config_type_error(name, "a string", v);
      field = v.get<std::string>();
      return true;
    };
    auto flag = [&](bool& field) -> Result<bool> {
      if (!v.is_boolean()) return config_type_error(name, "true or false", v);
      field = v.get<bool>();
      return true;
    };
    Result<bool> ok = true;
    if (key == "url") {
      if (!v.is_string()) return config_type_error(name, "a string", v);
      entry.url = v.get<std::string>();
      has_url = true;
    } else if (key == "user") {
      ok = text(s.user);
    } else if (key == "pass") {
      ok = text(s.pass);
    } else if (key == "hotkey") {
      ok = text(s.hotkey);
    } else if (key == "worker") {
      ok = text(s.worker);
    } else if (key == "subaccount") {
      ok = text(s.subaccount);
    } else if (key == "tls_ca") {
      ok = text(s.tls_ca);
    } else if (key == "tls_fingerprint") {
      ok = text(s.tls_fingerprint);
    } else if (key == "tls_insecure") {
      bool b = false;
      ok = flag(b);
      s.tls_insecure = b;
    } else if (key == "enabled") {
      ok = flag(entry.enabled);
    } else if (key == "suggest_difficulty") {
      if (!v.is_number() || v.get<double>() < 0)
        return config_type_error(name, "a difficulty >= 0 (0: no suggestion)", v);
      s.suggest_difficulty = v.get<double>();
    } else {
      return make_error("config key '" + name +
                        "' is unknown (pool keys: url, user, pass, hotkey, worker, subaccount, "
                        "tls_ca, tls_insecure, tls_fingerprint, enabled, suggest_difficulty)");
    }
    if (!ok) return ok.error();
  }
  if (!has_url) return make_error("config key '" + where + "': a pool needs \"url\"");
  return entry;
}

}  // namespace

Error config_type_error(const std::string& key, const char* expected, const json& value) {
  return make_error("config key '" + key + "': expected " + expected + ", got " +
                    value.type_name() + " " + value.dump());
}

Result<std::vector<PoolEntry>> pools_from_json(const json& value) {
  if (!value.is_array()) return config_type_error("pools", "an array of pool objects", value);
  std::vector<PoolEntry> pools;
  for (std::size_t i = 0; i < value.size(); ++i) {
    auto entry = pool_from_json("pools[" + std::to_string(i) + "]", value[i]);
    if (!entry) return entry.error();
    pools.push_back(std::move(*entry));
  }
  return pools;
}

json pools_to_masked_json(const std::vector<ResolvedPool>& pools) {
  json out = json::array();
  for (const ResolvedPool& p : pools) {
    if (p.url.empty()) continue;  // the built-in local pool: no pool configured
    json o = {{"url", mask_url_secret(p.url)},
              {"user", p.user},
              {"pass", p.pass.empty() || p.pass == "x" ? p.pass : std::string("***")}};
    if (p.tls) {
      o["tls_ca"] = p.tls_ca;
      o["tls_insecure"] = p.tls_insecure;
      o["tls_fingerprint"] = p.tls_fingerprint;
    }
    o["suggest_difficulty"] = p.suggest_difficulty;
    out.push_back(std::move(o));
  }
  return out;
}

}  // namespace ih::agent
