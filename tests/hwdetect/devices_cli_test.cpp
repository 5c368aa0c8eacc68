// `infinite-hashes devices` as a user runs it on this machine (no GPU, PoCL installed).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "run_command.hpp"

namespace {

using ih::test::run_command;
using nlohmann::json;

const std::string kBinary = IH_AGENT_BINARY;

std::string proc_cpuinfo_flags() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0 || line.rfind("Features", 0) == 0) return line + " ";
  return {};
}

bool has_library(const char* name) {
  void* lib = dlopen(name, RTLD_NOW);
  if (lib != nullptr) dlclose(lib);
  return lib != nullptr;
}

json devices_json() {
  const auto r = run_command(kBinary + " devices --json 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  return json::parse(r.output);  // throws (fails the test) on invalid JSON
}

TEST(DevicesCli, JsonListsTheCpuFlagsThatProcCpuinfoShows) {
  const json doc = devices_json();
  const std::string cpuinfo = proc_cpuinfo_flags();
  if (cpuinfo.empty()) GTEST_SKIP() << "no /proc/cpuinfo flags line";
  const json& flags = doc["cpu"]["flags"];
  auto listed = [&](const char* flag) {
    return std::find(flags.begin(), flags.end(), flag) != flags.end();
  };
  // Our names, and what the Linux kernel calls the same feature.
  const std::pair<const char*, const char*> names[] = {
      {"sse4_1", "sse4_1"},     {"avx2", "avx2"},         {"avx512f", "avx512f"},
      {"avx512vl", "avx512vl"}, {"avx512bw", "avx512bw"}, {"sha", "sha_ni"}};
  for (const auto& [ours, kernel] : names) {
    std::string word = " ";  // built up piecewise: GCC 12 -Wrestrict misfires on " " + s + " "
    word.append(kernel).append(" ");
    EXPECT_EQ(listed(ours), cpuinfo.find(word) != std::string::npos) << ours;
  }
  EXPECT_GE(doc["cpu"]["topology"]["cores"].get<int>(), 1);
}

TEST(DevicesCli, JsonWithoutNvidiaDriverHasNoCudaDevicesAndSaysWhy) {
  if (has_library("libcuda.so.1")) GTEST_SKIP() << "this machine has the NVIDIA driver";
  const json doc = devices_json();
  EXPECT_EQ(doc["cuda"]["devices"], json::array());
  ASSERT_TRUE(doc["cuda"]["reason"].is_string());
  EXPECT_NE(doc["cuda"]["reason"].get<std::string>().find("libcuda.so.1 not found"),
            std::string::npos);
  EXPECT_EQ(doc["nvml"]["available"], false);
}

TEST(DevicesCli, JsonListsThePoclCpuDevice) {
  if (!std::ifstream("/etc/OpenCL/vendors/pocl.icd")) GTEST_SKIP() << "PoCL not installed";
  const json doc = devices_json();
  if (!doc["opencl"]["built"].get<bool>()) GTEST_SKIP() << "built without OpenCL";
  bool found = false;
  for (const json& platform : doc["opencl"]["platforms"])
    for (const json& device : platform["devices"])
      found |= platform["name"] == "Portable Computing Language" && device["type"] == "cpu";
  EXPECT_TRUE(found) << doc["opencl"].dump(2);
}

TEST(DevicesCli, TableShowsEverySection) {
  const auto r = run_command(kBinary + " devices");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  for (const char* section :
       {"CPU ", "flags", "topology", "plan ", "CUDA ", "GPU health", "OpenCL"})
    EXPECT_NE(r.output.find(section), std::string::npos) << section << " missing:\n" << r.output;
}

TEST(DevicesCli, ThreadPlanOptionsShowThePlanOrAClearError) {
  const auto one = run_command(kBinary + " devices --json --threads 1 2>/dev/null");
  ASSERT_EQ(one.exit_code, 0) << one.output;
  EXPECT_EQ(json::parse(one.output)["cpu"]["thread_plan"]["threads"], 1);

  const auto too_many = run_command(kBinary + " devices --threads 65535");
  EXPECT_EQ(too_many.exit_code, 1) << too_many.output;
  EXPECT_NE(too_many.output.find("--threads 65535 is more than"), std::string::npos)
      << too_many.output;

  const auto bad_list = run_command(kBinary + " devices --cpu-affinity 0-x");
  EXPECT_EQ(bad_list.exit_code, 1) << bad_list.output;
  EXPECT_NE(bad_list.output.find("'x' is not a CPU number"), std::string::npos) << bad_list.output;
}

// With stand-in NVIDIA libraries first on the search path, the binary finds "GPUs" the way it
// finds real ones (dlopen by soname) and shows them with their health; no fan reads "-", not 0%.
TEST(DevicesCli, TableShowsCudaDevicesWithHealthWhenTheDriverIsThere) {
  char dir_template[] = "/tmp/ih-fake-nvidia-XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::filesystem::path dir = dir_template;
  std::filesystem::create_symlink(IH_FAKE_CUDA_LIBRARY, dir / "libcuda.so.1");
  std::filesystem::create_symlink(IH_FAKE_NVML_LIBRARY, dir / "libnvidia-ml.so.1");
  const auto r = run_command("LD_LIBRARY_PATH=" + dir.string() + " " + kBinary + " devices");
  std::filesystem::remove_all(dir);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("CUDA      2 device(s); driver 13.0"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("NVIDIA H200                  9.0     132  140.4 GiB  1980 MHz   41 C"
                          "    118 W     -    0%"),
            std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("GPU health from NVML, driver 580.65.06"), std::string::npos) << r.output;
}

}  // namespace
