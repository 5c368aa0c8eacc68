// `infinite-hashes mine` as a user runs it: no pool given, Ctrl-C after a few seconds.
#include <gtest/gtest.h>

#include <string>

#include "run_command.hpp"

namespace {

using ih::test::run_command;

TEST(MineRun, MinesAgainstTheLocalPoolAndStopsCleanlyOnSigint) {
  const auto r = run_command(std::string("timeout --preserve-status -s INT 5 ") + IH_AGENT_BINARY +
                             " --no-color mine -t 1 --stats-interval 1");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("local pool listening"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("speed 10s/60s/15m"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("summary: shares found"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("pending 0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("summary: cpu0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("summary: pool 0 stratum+tcp://127.0.0.1:"), std::string::npos)
      << r.output;
  EXPECT_EQ(r.output.find("DOES NOT BALANCE"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("\x1b["), std::string::npos) << "--no-color output has colour codes";
}

}  // namespace
