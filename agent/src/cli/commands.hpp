// Each subcommand registers its options on the parser and returns the function that runs it
// once the command line is parsed and logging is set up. CLI11 stays out of this header.
#pragma once

#include <functional>

namespace CLI {
class App;
}

namespace ih::agent {

using CommandMain = std::function<int()>;

// Exit status of a subcommand whose feature has not landed yet.
inline constexpr int kExitNotImplemented = 2;

CommandMain add_mine_command(CLI::App& app);
CommandMain add_pool_command(CLI::App& app);
CommandMain add_bench_command(CLI::App& app);
CommandMain add_devices_command(CLI::App& app);
CommandMain add_verify_command(CLI::App& app);
CommandMain add_keygen_command(CLI::App& app);
CommandMain add_version_command(CLI::App& app);
CommandMain add_collect_command(CLI::App& app);
CommandMain add_proxy_command(CLI::App& app);

}  // namespace ih::agent
