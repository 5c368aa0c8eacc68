// `infinite-hashes mine` driving an OpenCL device (PoCL's CPU device in CI: the same code path a
// GPU takes), alone, against the built-in pool.
#include <gtest/gtest.h>

#include <regex>
#include <string>

#include "run_command.hpp"

namespace {

using ih::test::run_command;

TEST(MineGpuRun, OpenClDeviceMinesSharesThePoolAccepts) {
  const auto r = run_command(std::string("timeout --preserve-status -s INT 8 ") + IH_AGENT_BINARY +
                             " --no-color mine --no-cpu --opencl-devices 0 --stats-interval 2");
  if (r.output.find("no opencl device 0") != std::string::npos ||
      r.output.find("opencl-devices:") != std::string::npos)
    GTEST_SKIP() << "no OpenCL device here: " << r.output;
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("mining on opencl:"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("summary: cpu0"), std::string::npos) << "--no-cpu still mined on the CPU";
  // Every share the device found was accepted: none rejected, no hardware error, none pending.
  std::smatch m;
  const std::regex found(
      "shares found (\\d+) = accepted (\\d+) \\+ rejected 0 \\+ stale (\\d+) \\+ "
      "hardware errors 0 \\+ pending 0");
  ASSERT_TRUE(std::regex_search(r.output, m, found)) << r.output;
  EXPECT_GT(std::stoi(m[2].str()), 0) << r.output;
  EXPECT_NE(r.output.find("summary: opencl:"), std::string::npos) << r.output;
}

TEST(MineGpuRun, MissingDeviceIndexIsAClearConfigError) {
  const auto r = run_command(std::string(IH_AGENT_BINARY) + " mine --opencl-devices 99 --dry-run");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("opencl-devices: no opencl device 99"), std::string::npos) << r.output;
  const auto cuda = run_command(std::string(IH_AGENT_BINARY) + " mine --cuda-devices 0 --dry-run");
  EXPECT_EQ(cuda.exit_code, 1) << cuda.output;  // no NVIDIA GPU on a test machine
  EXPECT_NE(cuda.output.find("cuda-devices:"), std::string::npos) << cuda.output;
}

TEST(MineGpuRun, NoGpuConflictsWithADeviceList) {
  const auto r =
      run_command(std::string(IH_AGENT_BINARY) + " mine --no-gpu --opencl-devices 0 --dry-run");
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("no-gpu"), std::string::npos) << r.output;
  const auto neither =
      run_command(std::string(IH_AGENT_BINARY) + " mine --no-gpu --no-cpu --dry-run");
  EXPECT_EQ(neither.exit_code, 1) << neither.output;
  EXPECT_NE(neither.output.find("nothing would mine"), std::string::npos) << neither.output;
}

}  // namespace
