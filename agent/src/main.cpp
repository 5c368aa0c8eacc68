// infinite-hashes: SHA-256d mining agent for the InfiniteHash subnet (SN89).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <utility>
#include <vector>

#include "cli/commands.hpp"
#include "logging.hpp"

int main(int argc, char** argv) {
  using namespace ih::agent;
  CLI::App app{
      "infinite-hashes: SHA-256d mining agent for the InfiniteHash Bittensor subnet (netuid 89).\n"
      "Mines on CPU and GPU, relays CPU-verified shares over Stratum V1, proves its hashrate.",
      "infinite-hashes"};
  app.require_subcommand(1);
  app.fallthrough();  // global options may follow the subcommand

  LogOptions log;
  bool no_color = false;
  app.add_option("--log-level", log.level,
                 "Log level: trace, debug, info, warn, error, critical, off")
      ->capture_default_str();
  app.add_option("--log-file", log.file, "Also write the log to this file");
  app.add_flag("--no-color", no_color, "Plain output without ANSI colours");
  app.add_flag("-q,--quiet", log.quiet, "Only warnings and errors");

  std::vector<std::pair<CLI::App*, CommandMain>> commands;
  auto add = [&](CommandMain (*register_command)(CLI::App&)) {
    const std::size_t before = app.get_subcommands({}).size();
    CommandMain run = register_command(app);
    commands.emplace_back(app.get_subcommands({}).at(before), std::move(run));
  };
  add(add_mine_command);
  add(add_pool_command);
  add(add_bench_command);
  add(add_devices_command);
  add(add_verify_command);
  add(add_keygen_command);
  add(add_version_command);
  add(add_collect_command);
  add(add_proxy_command);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  log.color = !no_color;
  if (std::string error = setup_logging(log); !error.empty()) {
    std::fprintf(stderr, "infinite-hashes: %s\n", error.c_str());
    return 1;
  }
  for (auto& [sub, run] : commands)
    if (sub->parsed()) return run();
  return 1;  // unreachable: require_subcommand(1)
}
