// `infinite-hashes collect` as a validator starts it: binds, serves, stops on SIGINT; bad
// settings are refused before anything is served.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "run_command.hpp"

namespace {

namespace fs = std::filesystem;
using ih::test::run_command;

fs::path temp_dir(const std::string& name) {
  const fs::path p =
      fs::temp_directory_path() / ("ih-collect-cli-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

TEST(CollectCli, ServesThenStopsCleanlyOnSigint) {
  const fs::path dir = temp_dir("run");
  std::ofstream(dir / "keys.toml") << "[hotkeys]\n5Hot = [\"" << std::string(64, 'a') << "\"]\n";
  const auto r = run_command(std::string("timeout --preserve-status -s INT 3 ") + IH_AGENT_BINARY +
                             " --no-color collect --bind 127.0.0.1:0 --data-dir " +
                             (dir / "data").string() + " --keys " + (dir / "keys.toml").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("collect: listening on http://127.0.0.1:"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("1 hotkey(s) registered"), std::string::npos) << r.output;
  EXPECT_TRUE(fs::exists(dir / "data" / "collect.sqlite"));
  fs::remove_all(dir);
}

TEST(CollectCli, RefusesABadKeyFileAndAMissingDataDir) {
  const fs::path dir = temp_dir("bad");
  std::ofstream(dir / "keys.toml") << "[hotkeys]\n5Hot = [\"not-hex\"]\n";
  const auto bad_keys =
      run_command(std::string(IH_AGENT_BINARY) + " collect --bind 127.0.0.1:0 " + "--data-dir " +
                  dir.string() + " --keys " + (dir / "keys.toml").string());
  EXPECT_EQ(bad_keys.exit_code, 1) << bad_keys.output;
  EXPECT_NE(bad_keys.output.find("keys.toml:2"), std::string::npos) << bad_keys.output;
  const auto no_dir = run_command(std::string(IH_AGENT_BINARY) + " collect --bind 127.0.0.1:0");
  EXPECT_NE(no_dir.exit_code, 0);
  EXPECT_NE(no_dir.output.find("--data-dir"), std::string::npos) << no_dir.output;
  const auto bad_bind = run_command(std::string(IH_AGENT_BINARY) +
                                    " collect --bind nowhere --data-dir " + dir.string());
  EXPECT_EQ(bad_bind.exit_code, 1) << bad_bind.output;
  fs::remove_all(dir);
}

}  // namespace
