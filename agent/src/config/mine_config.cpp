#include "config/mine_config.hpp"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "config/api_config_keys.hpp"
#include "config/pool_json.hpp"
#include "config/pool_url.hpp"
#include "ih/hwdetect/thread_plan.hpp"
#include "ih/kernels/scanner_catalog.hpp"

extern char** environ;

namespace ih::agent {

namespace {

using nlohmann::json;

Error type_error(const std::string& key, const char* expected, const json& value) {
  return config_type_error(key, expected, value);
}

Result<std::string> get_string(const std::string& key, const json& value) {
  if (!value.is_string()) return type_error(key, "a string", value);
  return value.get<std::string>();
}

Result<std::vector<int>> get_int_list(const std::string& key, const json& value) {
  if (!value.is_array()) return type_error(key, "an array of device indices", value);
  std::vector<int> out;
  for (const json& v : value) {
    if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 255)
      return type_error(key, "an array of device indices (0..255)", value);
    out.push_back(v.get<int>());
  }
  return out;
}

Result<double> get_seconds(const std::string& key, const json& value) {
  if (!value.is_number() || value.get<double>() < 0 || value.get<double>() > 86400)
    return type_error(key, "a number of seconds (0..86400)", value);
  return value.get<double>();
}

// Applies one key; an unknown key is an error.
Result<bool> apply_key(MineConfig& c, const std::string& key, const json& v) {
  if (key == "url") {
    if (v.is_string()) {
      c.pools = {PoolEntry{v.get<std::string>(), {}, true}};
    } else if (v.is_array()) {
      c.pools.clear();
      for (const json& u : v) {
        if (!u.is_string()) return type_error(key, "a string or an array of strings", v);
        c.pools.push_back(PoolEntry{u.get<std::string>(), {}, true});
      }
    } else {
      return type_error(key, "a string or an array of strings", v);
    }
  } else if (key == "pools") {
    auto pools = pools_from_json(v);
    if (!pools) return pools.error();
    c.pools = std::move(*pools);
  } else if (key == "pool-insecure") {
    if (!v.is_boolean()) return type_error(key, "true or false", v);
    c.tls_insecure = v.get<bool>();
  } else if (key == "suggest-difficulty") {
    if (!v.is_number() || v.get<double>() < 0)
      return type_error(key, "a difficulty >= 0 (0: no suggestion)", v);
    c.suggest_difficulty = v.get<double>();
  } else if (key == "user" || key == "pass" || key == "cpu-kernel" || key == "hotkey" ||
             key == "worker" || key == "subaccount" || key == "cpu-affinity" || key == "pool-ca" ||
             key == "pool-fingerprint") {
    auto s = get_string(key, v);
    if (!s) return s.error();
    std::string& field = key == "user"               ? c.user
                         : key == "pass"             ? c.pass
                         : key == "cpu-kernel"       ? c.cpu_kernel
                         : key == "hotkey"           ? c.hotkey
                         : key == "worker"           ? c.worker
                         : key == "cpu-affinity"     ? c.cpu_affinity
                         : key == "pool-ca"          ? c.tls_ca
                         : key == "pool-fingerprint" ? c.tls_fingerprint
                                                     : c.subaccount;
    field = *s;
  } else if (key == "threads") {
    if (!v.is_number_unsigned() || v.get<unsigned long long>() > 4096)
      return type_error(key, "a whole number from 0 (all CPUs) to 4096", v);
    c.threads = v.get<unsigned>();
  } else if (key == "cuda-devices" || key == "opencl-devices") {
    auto list = get_int_list(key, v);
    if (!list) return list.error();
    (key == "cuda-devices" ? c.cuda_devices : c.opencl_devices) = *list;
  } else if (key == "no-cpu" || key == "no-gpu") {
    if (!v.is_boolean()) return type_error(key, "true or false", v);
    (key == "no-cpu" ? c.no_cpu : c.no_gpu) = v.get<bool>();
  } else if (key == "stats-interval" || key == "device-stats-interval") {
    auto s = get_seconds(key, v);
    if (!s) return s.error();
    (key == "stats-interval" ? c.stats_interval : c.device_stats_interval) = *s;
  } else if (auto applied = apply_watchdog_key(c.watchdog, key, v)) {
    return *applied;
  } else if (auto api = apply_api_key(c.api, key, v)) {
    return *api;
  } else {
    std::string known;
    for (const auto& k : mine_config_keys()) known += (known.empty() ? "" : ", ") + k;
    for (const auto& k : api_config_keys()) known += ", " + k;
    return make_error("config key '" + key + "' is unknown (known keys: " + known + ")");
  }
  return true;
}

}  // namespace

const std::vector<std::string>& mine_config_keys() {
  static const std::vector<std::string> keys = {
      "url",          "user",         "pass",           "threads",          "cpu-kernel",
      "cpu-affinity", "cuda-devices", "opencl-devices", "no-cpu",           "no-gpu",
      "hotkey",       "worker",       "subaccount",     "stats-interval",   "device-stats-interval",
      "pools",        "pool-ca",      "pool-insecure",  "pool-fingerprint", "suggest-difficulty"};
  static const std::vector<std::string> all = [] {
    auto k = keys;
    for (const auto& w : watchdog_config_keys()) k.push_back(w);
    return k;
  }();
  return all;
}

Result<MineConfig> apply_config_json(MineConfig config, const std::string& json_text) {
  json doc;
  try {
    doc = json::parse(json_text);
  } catch (const json::exception& e) {
    // out_of_range (a number too large) is thrown as well as parse_error.
    return make_error(std::string("config is not valid JSON: ") + e.what());
  }
  if (!doc.is_object()) return make_error("config must be a JSON object of flag names");
  if (doc.contains("url") && doc.contains("pools"))
    return make_error("config keys 'url' and 'pools': give one list of pools, not both");
  for (const auto& [key, value] : doc.items()) {
    auto applied = apply_key(config, key, value);
    if (!applied) return applied.error();
  }
  return config;
}

Result<MineConfig> apply_config_file(MineConfig config, const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error("config file '" + path + "' cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  auto applied = apply_config_json(std::move(config), text.str());
  if (!applied) return make_error("config file '" + path + "': " + applied.error().message);
  return applied;
}

MineConfig apply_environment(MineConfig config, const std::map<std::string, std::string>& env) {
  auto get = [&](const char* name) -> const std::string* {
    const auto it = env.find(name);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (const auto* v = get("IH_URL")) config.pools = {PoolEntry{*v, {}, true}};
  if (const auto* v = get("IH_USER")) config.user = *v;
  if (const auto* v = get("IH_PASS")) config.pass = *v;
  if (const auto* v = get("IH_HOTKEY")) config.hotkey = *v;
  if (const auto* v = get("IH_WORKER")) config.worker = *v;
  apply_api_environment(config.api, env);
  return config;
}

std::map<std::string, std::string> read_ih_environment() {
  std::map<std::string, std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry(*e);
    const auto eq = entry.find('=');
    if (entry.rfind("IH_", 0) == 0 && eq != std::string::npos)
      env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

Result<std::vector<ResolvedPool>> validate_config(const MineConfig& c) {
  if (c.threads > 4096) return make_error("threads: at most 4096");
  if (!c.cpu_affinity.empty())
    if (auto pus = hwdetect::parse_cpu_list(c.cpu_affinity); !pus)
      return make_error("cpu-affinity: " + pus.error().message);
  if (c.cpu_kernel != "auto") {
    bool found = false;
    std::string names;
    for (const auto& entry : kernels::cpu_scanner_catalog()) {
      names += (names.empty() ? "" : ", ") + entry.name;
      if (entry.name != c.cpu_kernel) continue;
      found = true;
      if (!entry.runnable)
        return make_error("cpu-kernel: '" + c.cpu_kernel + "' cannot run here: " + entry.why_not);
    }
    if (!found)
      return make_error("cpu-kernel: unknown kernel '" + c.cpu_kernel + "' (auto, " + names + ")");
  }
  for (const auto& [field, list] :
       {std::pair{"cuda-devices", &c.cuda_devices}, std::pair{"opencl-devices", &c.opencl_devices}})
    for (int index : *list)
      if (index < 0)
        return make_error(std::string(field) + ": device indices start at 0, got " +
                          std::to_string(index));
  if (c.no_gpu && (!c.cuda_devices.empty() || !c.opencl_devices.empty()))
    return make_error("no-gpu: cannot be combined with cuda-devices or opencl-devices");
  if (c.no_cpu && c.no_gpu) return make_error("no-cpu: with no-gpu as well, nothing would mine");
  if (c.stats_interval < 1) return make_error("stats-interval: at least 1 second");
  if (auto w = validate_watchdog(c.watchdog); !w) return w.error();
  return resolve_pools(c);
}

std::string config_to_masked_json(const MineConfig& c) {
  auto pools = resolve_pools(c);
  json doc = {{"pools", pools ? pools_to_masked_json(*pools) : json(pools.error().message)},
              {"user", c.user},
              {"pass", c.pass.empty() || c.pass == "x" ? c.pass : std::string("***")},
              {"threads", c.threads},
              {"cpu-kernel", c.cpu_kernel},
              {"cpu-affinity", c.cpu_affinity},
              {"cuda-devices", c.cuda_devices},
              {"opencl-devices", c.opencl_devices},
              {"no-cpu", c.no_cpu},
              {"no-gpu", c.no_gpu},
              {"hotkey", c.hotkey},
              {"worker", c.worker},
              {"subaccount", c.subaccount},
              {"pool-ca", c.tls_ca},
              {"pool-insecure", c.tls_insecure},
              {"pool-fingerprint", c.tls_fingerprint},
              {"suggest-difficulty", c.suggest_difficulty},
              {"stats-interval", c.stats_interval},
              {"device-stats-interval", c.device_stats_interval}};
  add_watchdog_json(c.watchdog, doc);
  doc.update(api_config_to_masked_json(c.api));
  // replace: a value given on the command line may be any bytes, not UTF-8.
  return doc.dump(2, ' ', false, json::error_handler_t::replace);
}

}  // namespace ih::agent
