#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.hpp"
#include "ih/build_info.hpp"

namespace ih::agent {

CommandMain add_version_command(CLI::App& app) {
  app.add_subcommand("version", "Print the version and how this binary was built");
  return [] {
    std::printf("infinite-hashes %s\n", build_info::kVersion);
    std::printf("build:   %s, %s\n", build_info::kBuildType, build_info::kCompiler);
    std::printf("cuda:    %s\nopencl:  %s\n", build_info::kWithCuda ? "built in" : "not built",
                build_info::kWithOpenCl ? "built in" : "not built");
    return 0;
  };
}

}  // namespace ih::agent
