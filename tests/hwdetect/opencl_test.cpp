// OpenCL platforms and devices as the installed ICDs report them.
#include <gtest/gtest.h>

#include <fstream>

#include "ih/hwdetect/opencl_devices.hpp"

namespace {

bool pocl_installed() {
  return std::ifstream("/etc/OpenCL/vendors/pocl.icd").good();
}

TEST(OpenCl, ListsThePoclCpuDevice) {
  const auto report = ih::hwdetect::detect_opencl();
  if (!report.built) GTEST_SKIP() << report.reason;
  if (!pocl_installed()) GTEST_SKIP() << "PoCL is not installed (pocl-opencl-icd)";
  const ih::hwdetect::OpenClDevice* pocl_cpu = nullptr;
  for (const auto& p : report.platforms)
    if (p.name == "Portable Computing Language")
      for (const auto& d : p.devices)
        if (d.type == "cpu") pocl_cpu = &d;
  ASSERT_NE(pocl_cpu, nullptr) << "no PoCL CPU device; reason: " << report.reason;
  EXPECT_TRUE(report.reason.empty()) << report.reason;
  EXPECT_GE(pocl_cpu->compute_units, 1u);
  EXPECT_GT(pocl_cpu->global_memory_bytes, 0u);
  EXPECT_EQ(pocl_cpu->opencl_version.rfind("OpenCL ", 0), 0u) << pocl_cpu->opencl_version;
  EXPECT_FALSE(pocl_cpu->driver_version.empty());
  EXPECT_GE(report.device_count(), 1u);
}

TEST(OpenCl, EveryDeviceHasANameAndAKnownType) {
  const auto report = ih::hwdetect::detect_opencl();
  if (report.device_count() == 0) GTEST_SKIP() << report.reason;
  for (const auto& p : report.platforms)
    for (const auto& d : p.devices) {
      EXPECT_FALSE(d.name.empty());
      EXPECT_TRUE(d.type == "gpu" || d.type == "cpu" || d.type == "accelerator" ||
                  d.type == "custom" || d.type == "other")
          << d.type;
    }
}

}  // namespace
