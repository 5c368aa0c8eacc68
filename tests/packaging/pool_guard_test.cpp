// The guard that keeps a fresh .deb install from mining: packaging/deb/pool-configured, run by
// the unit (ExecCondition=) and the postinst, with the real agent binary.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>

#include "manifest_support.hpp"

namespace ih::test {
namespace {

// Exit status of the guard for `config`, with `environment` ("NAME=value ...") set.
int guard_status(const std::string& config, const std::string& environment = "") {
  const std::string command = "env -i PATH=/usr/bin:/bin IH_AGENT='" IH_AGENT_BINARY "' " +
                              environment + " sh '" + packaging_path("deb/pool-configured") +
                              "' '" + config + "' 2>/dev/null";
  const int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(PoolGuard, TheShippedDefaultConfigStartsNothing) {
  EXPECT_EQ(guard_status(packaging_path("deb/config.json")), 1);
}

TEST(PoolGuard, AConfigWithAPoolStarts) {
  EXPECT_EQ(guard_status(packaging_path("config.example.json")), 0);
}

TEST(PoolGuard, APoolFromTheEnvironmentCounts) {
  EXPECT_EQ(guard_status(packaging_path("deb/config.json"),
                         "IH_URL=stratum+tcp://127.0.0.1:3333 IH_USER=rig"),
            0);
}

TEST(PoolGuard, AnUnreadableOrInvalidConfigStartsNothing) {
  EXPECT_EQ(guard_status(packaging_path("deb/no-such-config.json")), 1);
  EXPECT_EQ(guard_status(packaging_path("deb/config.json"), "IH_URL=http://not-a-pool"), 1);
}

}  // namespace
}  // namespace ih::test
