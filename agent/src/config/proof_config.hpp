// `mine` options for share proofs and signed window reports (DESIGN §6): flags, config-file keys
// and IH_* variables, all here so mine_command.cpp and mine_config.cpp only hook them in.
#pragma once

#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ih/result.hpp"

namespace CLI {
class App;
}

namespace ih::agent {

struct ProofConfig {
  std::string data_dir;         // empty: default_data_dir()
  double proof_difficulty = 0;  // 0: the share difficulty (every accepted share)
  std::string key_file;         // empty: <data-dir>/agent.key, created on first use
  double report_window = 720;   // seconds; SN89 scores 60-block windows
  std::vector<std::string> report_urls;
  std::string report_ca;
  bool no_proofs = false;
  bool paths_given = false;  // --data-dir or --key was given: failing to use them is fatal
};

void add_proof_options(CLI::App& sub, ProofConfig& config);
// Copies the proof flags actually given on the command line over `into` (flags win).
void apply_given_proof_flags(const CLI::App& sub, const ProofConfig& flags, ProofConfig& into);

// Config-file keys: the flag names without dashes ("report-url" takes a string or an array).
const std::vector<std::string>& proof_config_keys();
// Applies one key; nullopt when `key` is not one of proof_config_keys().
std::optional<Result<bool>> apply_proof_key(ProofConfig& config, const std::string& key,
                                            const nlohmann::json& value);
// IH_DATA_DIR, IH_KEY, IH_PROOF_DIFFICULTY, IH_REPORT_WINDOW, IH_REPORT_URL (URLs separated by
// spaces), IH_REPORT_CA from `env`; errors name the variable.
Result<bool> apply_proof_environment(ProofConfig& config,
                                     const std::map<std::string, std::string>& env);
// The settings for --print-config; credentials and query strings of report URLs masked.
void add_proof_json(const ProofConfig& config, nlohmann::json& doc);

// $STATE_DIRECTORY (systemd's StateDirectory=), else $XDG_STATE_HOME/infinite-hashes, else
// ~/.local/state/infinite-hashes, else /var/lib/infinite-hashes.
std::string default_data_dir(const std::map<std::string, std::string>& env);
std::map<std::string, std::string> read_state_environment();

// Errors name the flag.
Result<ProofConfig> validate_proof_config(ProofConfig config);

}  // namespace ih::agent
