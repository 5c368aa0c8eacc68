#include "config/proof_config.hpp"

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "config/pool_url.hpp"
#include "config/quoted.hpp"

namespace ih::agent {

void add_proof_options(CLI::App& sub, ProofConfig& c) {
  sub.add_option("--data-dir", c.data_dir,
                 "Where share proofs and window reports are kept (default: $STATE_DIRECTORY, "
                 "$XDG_STATE_HOME/infinite-hashes or ~/.local/state/infinite-hashes)");
  sub.add_option("--proof-difficulty", c.proof_difficulty,
                 "Keep a proof of every accepted share whose hash reaches this difficulty "
                 "(0: the share difficulty, i.e. every accepted share)")
      ->capture_default_str();
  sub.add_option("--key", c.key_file,
                 "Ed25519 key that signs window reports (from `keygen`; default: "
                 "<data-dir>/agent.key, created on first use)");
  sub.add_option("--report-window", c.report_window, "Seconds per signed window report")
      ->capture_default_str();
  sub.add_option("--report-url", c.report_urls,
                 "POST each finished window report here (repeatable; http or https)");
  sub.add_option("--report-ca", c.report_ca, "Extra CA bundle for https report URLs");
  sub.add_flag("--no-proofs", c.no_proofs, "Keep no proofs and write no reports");
}

void apply_given_proof_flags(const CLI::App& sub, const ProofConfig& v, ProofConfig& c) {
  auto given = [&](const char* name) { return sub.count(name) > 0; };
  if (given("--data-dir")) c.data_dir = v.data_dir;
  if (given("--proof-difficulty")) c.proof_difficulty = v.proof_difficulty;
  if (given("--key")) c.key_file = v.key_file;
  if (given("--report-window")) c.report_window = v.report_window;
  if (given("--report-url")) c.report_urls = v.report_urls;
  if (given("--report-ca")) c.report_ca = v.report_ca;
  if (given("--no-proofs")) c.no_proofs = v.no_proofs;
}

namespace {

using nlohmann::json;

Error key_error(const std::string& key, const char* expected, const json& value) {
  return make_error("config key '" + key + "': expected " + expected + ", got " + value.dump());
}

// A report URL as it may be shown: user:password@ and any ?query (a token) masked.
std::string masked_report_url(const std::string& url) {
  std::string out = mask_url_secret(url);
  if (const auto q = out.find('?'); q != std::string::npos) out = out.substr(0, q + 1) + "***";
  return out;
}

Result<double> number_text(const std::string& name, const std::string& text) {
  double v = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size())
    return make_error(name + ": " + agent::quoted(text) + " is not a number");
  return v;
}

}  // namespace

const std::vector<std::string>& proof_config_keys() {
  static const std::vector<std::string> keys = {"data-dir",      "proof-difficulty", "key",
                                                "report-window", "report-url",       "report-ca",
                                                "no-proofs"};
  return keys;
}

std::optional<Result<bool>> apply_proof_key(ProofConfig& c, const std::string& key, const json& v) {
  auto string_into = [&](std::string& field) -> Result<bool> {
    if (!v.is_string()) return key_error(key, "a string", v);
    field = v.get<std::string>();
    return true;
  };
  if (key == "data-dir") return string_into(c.data_dir);
  if (key == "key") return string_into(c.key_file);
  if (key == "report-ca") return string_into(c.report_ca);
  if (key == "proof-difficulty" || key == "report-window") {
    // Ranges are checked by validate_proof_config, for flags and file alike.
    if (!v.is_number()) return Result<bool>(key_error(key, "a number", v));
    (key == "proof-difficulty" ? c.proof_difficulty : c.report_window) = v.get<double>();
    return Result<bool>(true);
  }
  if (key == "report-url") {
    std::vector<std::string> urls;
    if (v.is_string()) urls.push_back(v.get<std::string>());
    for (const json& u : v.is_array() ? v : json::array()) {
      if (!u.is_string()) return Result<bool>(key_error(key, "a string or an array of strings", v));
      urls.push_back(u.get<std::string>());
    }
    if (!v.is_string() && !v.is_array())
      return Result<bool>(key_error(key, "a string or an array of strings", v));
    c.report_urls = std::move(urls);
    return Result<bool>(true);
  }
  if (key == "no-proofs") {
    if (!v.is_boolean()) return Result<bool>(key_error(key, "true or false", v));
    c.no_proofs = v.get<bool>();
    return Result<bool>(true);
  }
  return std::nullopt;
}

Result<bool> apply_proof_environment(ProofConfig& c,
                                     const std::map<std::string, std::string>& env) {
  auto get = [&](const char* name) -> const std::string* {
    const auto it = env.find(name);
    return it == env.end() || it->second.empty() ? nullptr : &it->second;
  };
  if (const auto* v = get("IH_DATA_DIR")) c.data_dir = *v;
  if (const auto* v = get("IH_KEY")) c.key_file = *v;
  if (const auto* v = get("IH_REPORT_CA")) c.report_ca = *v;
  if (const auto* v = get("IH_REPORT_URL")) {
    c.report_urls.clear();
    std::istringstream words(*v);
    for (std::string url; words >> url;) c.report_urls.push_back(url);
  }
  for (auto [name, field] : {std::pair{"IH_PROOF_DIFFICULTY", &c.proof_difficulty},
                             std::pair{"IH_REPORT_WINDOW", &c.report_window}})
    if (const auto* v = get(name)) {
      auto n = number_text(name, *v);
      if (!n) return n.error();
      *field = *n;
    }
  return true;
}

void add_proof_json(const ProofConfig& c, json& doc) {
  json urls = json::array();
  for (const std::string& u : c.report_urls) urls.push_back(masked_report_url(u));
  doc["data-dir"] = c.data_dir;
  doc["proof-difficulty"] = c.proof_difficulty;
  doc["key"] = c.key_file;  // a path, not the key
  doc["report-window"] = c.report_window;
  doc["report-url"] = std::move(urls);
  doc["report-ca"] = c.report_ca;
  doc["no-proofs"] = c.no_proofs;
}

std::map<std::string, std::string> read_state_environment() {
  std::map<std::string, std::string> env;
  for (const char* name : {"STATE_DIRECTORY", "XDG_STATE_HOME", "HOME"})
    if (const char* v = std::getenv(name); v != nullptr && *v != '\0') env[name] = v;
  return env;
}

std::string default_data_dir(const std::map<std::string, std::string>& env) {
  if (auto it = env.find("STATE_DIRECTORY"); it != env.end()) {
    const std::string& dirs = it->second;  // systemd may list several, colon-separated
    return dirs.substr(0, dirs.find(':'));
  }
  if (auto it = env.find("XDG_STATE_HOME"); it != env.end()) return it->second + "/infinite-hashes";
  if (auto it = env.find("HOME"); it != env.end())
    return it->second + "/.local/state/infinite-hashes";
  return "/var/lib/infinite-hashes";
}

Result<ProofConfig> validate_proof_config(ProofConfig c) {
  if (!std::isfinite(c.proof_difficulty) || c.proof_difficulty < 0)
    return make_error("--proof-difficulty: must be 0 or a positive difficulty");
  if (!std::isfinite(c.report_window) || c.report_window < 1 || c.report_window > 86400)
    return make_error("--report-window: must be between 1 and 86400 seconds");
  for (const std::string& url : c.report_urls)
    if (url.rfind("http://", 0) != 0 && url.rfind("https://", 0) != 0)
      return make_error("--report-url: " + agent::quoted(url) +
                        " is not an http:// or https:// URL");
  c.paths_given = !c.data_dir.empty() || !c.key_file.empty();
  if (c.data_dir.empty()) c.data_dir = default_data_dir(read_state_environment());
  if (c.key_file.empty()) c.key_file = c.data_dir + "/agent.key";
  return c;
}

}  // namespace ih::agent
