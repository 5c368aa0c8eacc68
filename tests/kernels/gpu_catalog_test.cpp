// The GPU catalog where devices, drivers or OpenCL loaders are missing or broken: it says why,
// never fails, and CPU hashing carries on.
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "ih/kernels/gpu_scanner.hpp"
#include "run_command.hpp"

namespace {

using ih::kernels::DeviceKind;
using ih::kernels::ScannerEntry;

TEST(GpuCatalog, CudaListsDevicesOrSaysWhyThereAreNone) {
  const std::vector<ScannerEntry> catalog = ih::kernels::cuda_scanner_catalog();
  ASSERT_FALSE(catalog.empty());
  if (catalog.front().name == "cuda") {
    // No device here (no GPU, no driver, or built without CUDA): one entry with the reason.
    ASSERT_EQ(catalog.size(), 1u);
    EXPECT_FALSE(catalog.front().runnable);
    EXPECT_FALSE(catalog.front().make);
    EXPECT_NE(catalog.front().why_not, "");
    std::printf("cuda: %s\n", catalog.front().why_not.c_str());
    return;
  }
  for (const ScannerEntry& entry : catalog) {
    EXPECT_EQ(entry.device, DeviceKind::cuda);
    EXPECT_EQ(entry.name.rfind("cuda:", 0), 0u) << entry.name;
    EXPECT_EQ(entry.runnable, static_cast<bool>(entry.make)) << entry.name;
    if (!entry.runnable) {
      EXPECT_NE(entry.why_not, "");
    }
  }
}

TEST(GpuCatalog, HasBothBackendsAndEveryUnavailableEntryHasAReason) {
  bool cuda = false;
  bool opencl = false;
  for (const ScannerEntry& entry : ih::kernels::gpu_scanner_catalog()) {
    cuda |= entry.device == DeviceKind::cuda;
    opencl |= entry.device == DeviceKind::opencl;
    EXPECT_EQ(entry.runnable, static_cast<bool>(entry.make)) << entry.name;
    if (!entry.runnable) {
      EXPECT_NE(entry.why_not, "") << entry.name;
    }
  }
  EXPECT_TRUE(cuda);
  EXPECT_TRUE(opencl);
}

// Runs the probe with the OpenCL loader pointed at `vendors` (a directory of .icd files).
ih::test::CommandResult probe_with_vendors(const std::string& vendors) {
  return ih::test::run_command("OCL_ICD_VENDORS='" + vendors + "' " + IH_GPU_CATALOG_PROBE);
}

std::string scratch_dir(const char* name) {
  const std::string dir = testing::TempDir() + "ih-" + name + "-" + std::to_string(::getpid());
  std::filesystem::create_directories(dir);
  return dir;
}

void expect_opencl_missing_and_cpu_mining(const ih::test::CommandResult& result) {
  EXPECT_EQ(result.exit_code, 0) << result.output;
  const bool said_why =
      result.output.find("gpu opencl unavailable no OpenCL platform") != std::string::npos ||
      result.output.find("gpu opencl unavailable this binary was built without OpenCL") !=
          std::string::npos;
  EXPECT_TRUE(said_why) << result.output;
  EXPECT_EQ(result.output.find("gpu opencl:"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("gpu cuda"), std::string::npos) << result.output;
  EXPECT_NE(result.output.find("hashed 4096"), std::string::npos) << result.output;
}

TEST(GpuCatalog, NoOpenClDriverInstalled) {
  const std::string vendors = scratch_dir("no-icd");
  expect_opencl_missing_and_cpu_mining(probe_with_vendors(vendors));
  std::filesystem::remove_all(vendors);
}

TEST(GpuCatalog, BrokenOpenClDriver) {
  const std::string vendors = scratch_dir("broken-icd");
  std::ofstream(vendors + "/broken.icd") << "/nonexistent/libOpenCL-broken-driver.so\n";
  std::ofstream(vendors + "/garbage.icd") << "\x01\x02 not a library path";
  expect_opencl_missing_and_cpu_mining(probe_with_vendors(vendors));
  std::filesystem::remove_all(vendors);
}

}  // namespace
