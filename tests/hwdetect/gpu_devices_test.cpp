// Real NVIDIA GPUs, when the machine has some: CUDA driver properties and NVML health.
#include <gtest/gtest.h>

#include "ih/hwdetect/cuda_devices.hpp"
#include "ih/hwdetect/gpu_health.hpp"

namespace {

using ih::hwdetect::detect_cuda;
using ih::hwdetect::GpuHealthMonitor;

TEST(Cuda, RealDevicesHaveSaneProperties) {
  const auto report = detect_cuda();
  if (report.devices.empty()) GTEST_SKIP() << "no CUDA device: " << report.reason;
  ASSERT_TRUE(report.driver_version);
  for (const auto& d : report.devices) {
    EXPECT_FALSE(d.name.empty());
    EXPECT_GE(d.compute_major, 3);
    EXPECT_GT(d.multiprocessors, 0);
    EXPECT_GT(d.memory_bytes, 0u);
    EXPECT_EQ(d.uuid.rfind("GPU-", 0), 0u) << d.uuid;
    EXPECT_EQ(d.uuid.size(), 40u) << d.uuid;
  }
}

TEST(GpuHealth, RealGpusReportSomething) {
  const GpuHealthMonitor monitor;
  if (!monitor.available()) GTEST_SKIP() << "no NVML: " << monitor.reason();
  const auto samples = monitor.sample();
  if (samples.empty()) GTEST_SKIP() << "NVML sees no GPU";
  for (const auto& s : samples) {
    EXPECT_EQ(s.uuid.rfind("GPU-", 0), 0u) << s.uuid;
    EXPECT_TRUE(s.health.temperature_c) << s.name;
    EXPECT_TRUE(s.health.sm_clock_mhz) << s.name;
  }
}

}  // namespace
