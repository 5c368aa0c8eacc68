#include "ih/hwdetect/cpu.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <string>

namespace {

bool proc_cpuinfo_has(const std::string& flag) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("flags", 0) != 0 && line.rfind("Features", 0) != 0) continue;
    return (line + " ").find(" " + flag + " ") != std::string::npos;
  }
  return false;
}

TEST(DetectCpu, AgreesWithProcCpuinfo) {
  const auto cpu = ih::hwdetect::detect_cpu();
  EXPECT_GE(cpu.logical_cpus, 1u);
  EXPECT_FALSE(cpu.vendor.empty());
  std::ifstream probe("/proc/cpuinfo");
  if (!probe) GTEST_SKIP() << "no /proc/cpuinfo to compare with";
  for (const char* flag : {"avx2", "sha", "sha_ni", "avx512f"}) {
    // The kernel calls the x86 SHA extensions "sha_ni"; we call them "sha".
    const std::string ours = std::string(flag) == "sha_ni" ? "sha" : flag;
    if (std::string(flag) == "sha") continue;
    const bool listed = std::find(cpu.flags.begin(), cpu.flags.end(), ours) != cpu.flags.end();
    EXPECT_EQ(listed, proc_cpuinfo_has(flag)) << flag;
  }
}

}  // namespace
