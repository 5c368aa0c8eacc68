// The command line as a user meets it: help, errors, exit codes.
#include <gtest/gtest.h>

#include <string>

#include "run_command.hpp"

namespace {

using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;

TEST(Cli, TopLevelHelpListsTheSubcommands) {
  const auto r = run_command(kBinary + " --help");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* sub : {"mine", "pool", "bench", "devices", "verify", "version"})
    EXPECT_NE(r.output.find(sub), std::string::npos) << sub << " missing from:\n" << r.output;
}

TEST(Cli, EverySubcommandHasHelp) {
  for (const char* sub : {"mine", "pool", "bench", "devices", "verify", "version"}) {
    const auto r = run_command(kBinary + " " + sub + " --help");
    EXPECT_EQ(r.exit_code, 0) << sub << ":\n" << r.output;
    EXPECT_NE(r.output.find("Usage"), std::string::npos) << sub << ":\n" << r.output;
  }
}

TEST(Cli, UnknownOptionFailsWithAClearMessage) {
  const auto r = run_command(kBinary + " bench --no-such-option");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("--no-such-option"), std::string::npos) << r.output;
}

TEST(Cli, MissingSubcommandFails) {
  const auto r = run_command(kBinary);
  EXPECT_NE(r.exit_code, 0);
}

TEST(Cli, BadLogLevelIsRejected) {
  const auto r = run_command(kBinary + " --log-level chatty version");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("chatty"), std::string::npos) << r.output;
}

TEST(Cli, VersionPrintsTheVersion) {
  const auto r = run_command(kBinary + " version");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.output.find("infinite-hashes 0."), std::string::npos) << r.output;
}

TEST(Cli, VerifyOfAnUnreadableReportExitsWith2AndSaysWhy) {
  const auto r = run_command(kBinary + " verify /nonexistent/report.json");
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("cannot open the file"), std::string::npos) << r.output;
}

}  // namespace
