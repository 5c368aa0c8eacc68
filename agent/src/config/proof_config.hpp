// `mine` options for share proofs and signed window reports (DESIGN §6). Flags only; their
// registration lives in proof_config.cpp so mine_command.cpp only hooks them in.
#pragma once

#include <map>
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

// $STATE_DIRECTORY (systemd's StateDirectory=), else $XDG_STATE_HOME/infinite-hashes, else
// ~/.local/state/infinite-hashes, else /var/lib/infinite-hashes.
std::string default_data_dir(const std::map<std::string, std::string>& env);
std::map<std::string, std::string> read_state_environment();

// Errors name the flag.
Result<ProofConfig> validate_proof_config(ProofConfig config);

}  // namespace ih::agent
