// `mine`'s status endpoint flags as a user runs them: the loopback-or-token rule (exit 2, nothing
// started), the API URL printed at start-up, no secret in the log.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "run_command.hpp"

namespace {

using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;

TEST(StatusCli, NonLoopbackBindWithoutATokenIsRefusedBeforeAnythingStarts) {
  for (const char* bind : {"0.0.0.0:0", "[::]:0", "192.0.2.1:4048", "example.com:4048"}) {
    const auto r = run_command(kBinary + " --no-color mine -t 1 --api-bind " + bind);
    EXPECT_EQ(r.exit_code, 2) << bind << "\n" << r.output;
    EXPECT_NE(r.output.find("--api-token"), std::string::npos) << r.output;
    EXPECT_EQ(r.output.find("local pool listening"), std::string::npos) << "something started";
    EXPECT_EQ(r.output.find("mining on"), std::string::npos) << "something started";
  }
}

TEST(StatusCli, WritesWithoutATokenAndCgminerOffLoopbackWithoutAllowAreRefused) {
  auto r = run_command(kBinary + " mine --dry-run --api-write");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("api-write"), std::string::npos) << r.output;
  r = run_command(kBinary + " mine --dry-run --cgminer-api 0.0.0.0:4028");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  r = run_command(kBinary + " mine --dry-run --cgminer-api 0.0.0.0:4028 --cgminer-api-allow " +
                  "10.0.0.0/8");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  r = run_command("IH_API_TOKEN=env-token-123456 " + kBinary +
                  " mine --dry-run --api-bind 0.0.0.0:4048 --api-write");
  EXPECT_EQ(r.exit_code, 0) << "IH_API_TOKEN counts as a token\n" << r.output;
}

TEST(StatusCli, ConfigFileTokenCountsAndIsMaskedInPrintConfig) {
  const std::string path = ::testing::TempDir() + "status-cli-config.json";
  std::ofstream(path) << R"({"api-bind": "0.0.0.0:4048", "api_token": "file-token-98765"})";
  const auto r = run_command(kBinary + " mine --dry-run --print-config -c " + path);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("\"api-token\": \"***\""), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("file-token-98765"), std::string::npos) << r.output;
}

TEST(StatusCli, MinePrintsTheApiUrlAndNeverItsSecrets) {
  const auto r =
      run_command("timeout --preserve-status -s INT 4 " + kBinary +
                  " --no-color --log-level debug mine -t 1 --api-bind 127.0.0.1:0 --api-token "
                  "cli-secret-token-4242 -p cli-pool-password-77");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("status API: http://127.0.0.1:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("/metrics"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("cli-secret-token-4242"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("cli-pool-password-77"), std::string::npos) << r.output;
}

TEST(StatusCli, ApiOffSaysSo) {
  const auto r = run_command("timeout --preserve-status -s INT 3 " + kBinary +
                             " --no-color mine -t 1 --api-bind off");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("status API: off"), std::string::npos) << r.output;
}

}  // namespace
