// `mine` and `pool` from the command line: config errors, --dry-run, --print-config.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "run_command.hpp"

namespace {

using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;
const std::string kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

std::string write_config(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

TEST(MineCli, DryRunOfAGoodConfigExitsZero) {
  const auto r = run_command(kBinary + " mine --dry-run -o stratum+tcp://127.0.0.1:3333 -u w -t 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("configuration OK"), std::string::npos) << r.output;
}

TEST(MineCli, DryRunWithNoPoolUsesTheLocalPool) {
  const auto r = run_command(kBinary + " mine --dry-run");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(MineCli, DryRunOfABadConfigExitsOneNamingTheField) {
  auto r = run_command(kBinary + " mine --dry-run -o http://pool:1 -u w");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("pool 0 (http://pool:1): url"), std::string::npos) << r.output;
  r = run_command(kBinary + " mine --dry-run --hotkey default --worker rig1");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("hotkey SS58 address is expected"), std::string::npos) << r.output;
  r = run_command(kBinary + " mine --dry-run --cpu-kernel nonesuch");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("cpu-kernel"), std::string::npos) << r.output;
}

TEST(MineCli, ThreadPlanErrorsFailTheDryRun) {
  auto r = run_command(kBinary + " mine --dry-run -t 4000");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("threads"), std::string::npos) << r.output;
  r = run_command(kBinary + " mine --dry-run --cpu-affinity 3-1x");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("cpu-affinity"), std::string::npos) << r.output;
}

TEST(MineCli, ConfigFileErrorsNameTheKey) {
  const std::string path = write_config("ih_bad.json", R"({"threads": "many"})");
  const auto r = run_command(kBinary + " mine --dry-run -c " + path);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("'threads'"), std::string::npos) << r.output;
  const auto missing = run_command(kBinary + " mine --dry-run -c /nonexistent/ih.json");
  EXPECT_EQ(missing.exit_code, 1) << missing.output;
}

TEST(MineCli, FlagsOverrideTheFileAndEnvironmentAndSecretsAreMasked) {
  const std::string path =
      write_config("ih_good.json", R"({"url": "stratum+tcp://file:1", "user": "fileuser",
                                       "pass": "filesecret", "threads": 3})");
  const auto r = run_command("IH_PASS=envsecret " + kBinary + " mine --dry-run --print-config -c " +
                             path + " -t 2");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"threads\": 2"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("fileuser"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("filesecret"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("envsecret"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("\"pass\": \"***\""), std::string::npos) << r.output;
}

TEST(MineCli, HotkeyBuildsTheSn89User) {
  const auto r =
      run_command(kBinary + " mine --dry-run --print-config --hotkey " + kAlice + " --worker rig1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
}

TEST(PoolCli, BadBindAddressIsRejected) {
  const auto r = run_command(kBinary + " pool --bind 127.0.0.1:99999");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("port"), std::string::npos) << r.output;
}

TEST(MineCli, ShippedExampleConfigIsValid) {
  const auto r = run_command(std::string(IH_AGENT_BINARY) + " mine -c " + IH_EXAMPLE_CONFIG +
                             " --dry-run --no-gpu");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("configuration OK"), std::string::npos) << r.output;
}

}  // namespace
