// NVML health: absent library -> not available, and every health field stays empty (null).
#include <gtest/gtest.h>

#include "ih/hwdetect/gpu_health.hpp"

namespace {

using ih::hwdetect::GpuHealth;
using ih::hwdetect::GpuHealthMonitor;
using ih::hwdetect::GpuHealthSample;

void expect_all_empty(const GpuHealth& h) {
  EXPECT_FALSE(h.temperature_c);
  EXPECT_FALSE(h.power_w);
  EXPECT_FALSE(h.power_limit_w);
  EXPECT_FALSE(h.fan_percent);
  EXPECT_FALSE(h.sm_clock_mhz);
  EXPECT_FALSE(h.memory_clock_mhz);
  EXPECT_FALSE(h.utilization_percent);
  EXPECT_FALSE(h.memory_utilization_percent);
}

TEST(GpuHealth, MissingNvmlIsNotAvailableWithAReason) {
  const GpuHealthMonitor monitor("/nonexistent/libnvidia-ml.so.1");
  EXPECT_FALSE(monitor.available());
  EXPECT_NE(monitor.reason().find("/nonexistent/libnvidia-ml.so.1 not found"), std::string::npos)
      << monitor.reason();
  EXPECT_FALSE(monitor.driver_version());
  EXPECT_TRUE(monitor.sample().empty());
}

TEST(GpuHealth, LibraryWithoutNvmlIsReportedNotCalled) {
  const GpuHealthMonitor monitor("libm.so.6");
  EXPECT_FALSE(monitor.available());
  EXPECT_NE(monitor.reason().find("lacks the NVML functions"), std::string::npos)
      << monitor.reason();
  EXPECT_TRUE(monitor.sample().empty());
}

TEST(GpuHealth, UnknownGpuGetsEmptyHealthNeverZeros) {
  GpuHealthSample known;
  known.uuid = "GPU-11111111-2222-3333-4444-555555555555";
  known.health.temperature_c = 61;
  const std::vector<GpuHealthSample> samples{known};
  expect_all_empty(ih::hwdetect::health_for(samples, "GPU-00000000-0000-0000-0000-000000000000"));
  expect_all_empty(ih::hwdetect::health_for(samples, ""));
  expect_all_empty(ih::hwdetect::health_for({}, known.uuid));
  EXPECT_EQ(ih::hwdetect::health_for(samples, known.uuid).temperature_c, 61u);
}

}  // namespace
