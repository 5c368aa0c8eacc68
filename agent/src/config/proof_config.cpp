#include "config/proof_config.hpp"

#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdlib>

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
