#include <CLI/CLI.hpp>

#include "cli/commands.hpp"
#include "cli/not_implemented.hpp"

namespace ih::agent {

CommandMain add_mine_command(CLI::App& app) {
  app.add_subcommand("mine",
                     "Mine: hash on every selected device and submit CPU-verified shares to the "
                     "pool (or to the built-in local pool when no pool is given)");
  return [] { return not_implemented("mine", "the mining engine lands with issue #7"); };
}

}  // namespace ih::agent
