// `mine`'s pool options as cgminer and cpuminer take them: each -o starts a pool, and the
// -u/-p/--pool-ca/... that follow apply to it; the ones before the first -o are defaults.
// CLI11 parses the tokens (every spelling: -u x, -ux, --user=x); the binding to pools is read
// from the order CLI11 parsed them in (App::parse_order), one result per occurrence.
#pragma once

#include <vector>

#include "config/pool_config.hpp"
#include "ih/result.hpp"

namespace CLI {
class App;
}

namespace ih::agent {

struct PoolCommandLine {
  PoolSettings defaults;         // options before the first -o
  std::vector<PoolEntry> pools;  // one per -o, in order
};

// Registers -o/--url, -u/--user, -p/--pass, --hotkey, --worker, --subaccount, --pool-ca,
// --pool-insecure, --pool-fingerprint, --suggest-difficulty.
void add_pool_options(CLI::App& command);

// After parsing: what the command line said, bound to its pools.
Result<PoolCommandLine> read_pool_options(const CLI::App& command);

// Applies a parsed command line over the file and environment: its defaults over theirs, its
// pools (when any -o was given) instead of theirs.
void apply_pool_command_line(MineConfig& config, const PoolCommandLine& command_line);

}  // namespace ih::agent
