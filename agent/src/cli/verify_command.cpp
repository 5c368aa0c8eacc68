#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/not_implemented.hpp"

namespace ih::agent {

CommandMain add_verify_command(CLI::App& app) {
  app.add_subcommand("verify",
                     "Verify share proofs and signed hashrate reports: re-hash every share, check "
                     "targets, time window, duplicates and the signature");
  return [] { return not_implemented("verify", "verifiable hashrate reports have not landed"); };
}

}  // namespace ih::agent
