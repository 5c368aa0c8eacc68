// The CUDA driver and NVML paths, run against stand-in libraries (fake_nvidia/) because this
// machine has no NVIDIA GPU: symbol loading, field mapping, UUID matching, null-vs-zero health.
#include <gtest/gtest.h>

#include <cstdlib>
#include <nlohmann/json.hpp>

#include "ih/hwdetect/cuda_devices.hpp"
#include "ih/hwdetect/gpu_health.hpp"
#include "ih/hwdetect/machine_report.hpp"

namespace {

using ih::hwdetect::detect_cuda;
using ih::hwdetect::GpuHealthMonitor;
using nlohmann::json;

const std::string kFakeCuda = IH_FAKE_CUDA_LIBRARY;
const std::string kFakeNvml = IH_FAKE_NVML_LIBRARY;

// Sets an environment variable for one test.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, const char* value) : name_(name) { setenv(name, value, 1); }
  ScopedEnv(const ScopedEnv&) = delete;
  ScopedEnv& operator=(const ScopedEnv&) = delete;
  ~ScopedEnv() { unsetenv(name_); }

 private:
  const char* name_;
};

TEST(FakeCudaDriver, DevicesAreReadThroughTheDriverApi) {
  const auto report = detect_cuda(kFakeCuda);
  ASSERT_EQ(report.devices.size(), 2u) << report.reason;
  EXPECT_EQ(report.driver_version, 13000);
  const auto& h200 = report.devices[0];
  EXPECT_EQ(h200.index, 0);
  EXPECT_EQ(h200.name, "NVIDIA H200");
  EXPECT_EQ(h200.uuid, "GPU-00010203-0405-0607-0809-0a0b0c0d0e0f");
  EXPECT_EQ(h200.pci_bus_id, "0000:19:00.0");
  EXPECT_EQ(h200.compute_major, 9);
  EXPECT_EQ(h200.compute_minor, 0);
  EXPECT_EQ(h200.multiprocessors, 132);
  EXPECT_EQ(h200.memory_bytes, 150754820096ull);
  EXPECT_EQ(h200.clock_mhz, 1980u);
  EXPECT_EQ(h200.memory_clock_mhz, 2619u);
  const auto& rtx = report.devices[1];
  EXPECT_EQ(rtx.compute_major, 8);
  EXPECT_EQ(rtx.compute_minor, 9);
  EXPECT_EQ(rtx.pci_bus_id, "0000:41:00.0");
  EXPECT_FALSE(rtx.clock_mhz) << "an unsupported attribute must stay unknown, not 0";
  // Usable unless this build's kernels need a newer CUDA than 13.0.
  EXPECT_EQ(report.usable(), !report.runtime_version || *report.runtime_version <= 13000)
      << report.reason;
  EXPECT_TRUE(detect_cuda(kFakeCuda, 13000).usable());
  EXPECT_TRUE(detect_cuda(kFakeCuda, std::nullopt).usable());
}

TEST(FakeCudaDriver, CuInitFailureIsAReasonNotACrash) {
  const ScopedEnv no_device("IH_FAKE_CUDA_INIT_RESULT", "100");
  const auto report = detect_cuda(kFakeCuda);
  EXPECT_TRUE(report.devices.empty());
  EXPECT_EQ(report.reason, "the NVIDIA driver is installed but sees no GPU (CUDA_ERROR_NO_DEVICE)");
  const ScopedEnv too_old("IH_FAKE_CUDA_INIT_RESULT", "35");
  EXPECT_NE(detect_cuda(kFakeCuda).reason.find("too old"), std::string::npos);
  const ScopedEnv other("IH_FAKE_CUDA_INIT_RESULT", "999");
  EXPECT_EQ(detect_cuda(kFakeCuda).reason, "cuInit failed (CUDA_ERROR_UNKNOWN)");
}

TEST(FakeCudaDriver, DriverOlderThanOurKernelsListsDevicesButSaysWhyNotUsable) {
  const ScopedEnv old_driver("IH_FAKE_CUDA_DRIVER_VERSION", "12040");
  const auto report = detect_cuda(kFakeCuda, 13000);
  EXPECT_EQ(report.devices.size(), 2u);
  EXPECT_EQ(report.runtime_version, 13000);
  EXPECT_FALSE(report.usable());
  EXPECT_NE(report.reason.find("update the NVIDIA driver"), std::string::npos) << report.reason;
}

TEST(FakeNvml, SamplesEveryGpuAndKeepsUnsupportedFieldsEmpty) {
  const GpuHealthMonitor monitor(kFakeNvml);
  ASSERT_TRUE(monitor.available()) << monitor.reason();
  EXPECT_EQ(monitor.driver_version(), "580.65.06");
  const auto samples = monitor.sample();
  ASSERT_EQ(samples.size(), 2u);
  const auto& h200 = samples[1];
  EXPECT_EQ(h200.name, "NVIDIA H200");
  EXPECT_EQ(h200.health.temperature_c, 41u);
  EXPECT_DOUBLE_EQ(h200.health.power_w.value_or(-1), 118.5);
  EXPECT_DOUBLE_EQ(h200.health.power_limit_w.value_or(-1), 700.0);
  EXPECT_FALSE(h200.health.fan_percent) << "no fan is unknown, not 0%";
  EXPECT_EQ(h200.health.utilization_percent, 0u) << "idle is a real 0";
  EXPECT_EQ(samples[0].health.fan_percent, 30u);
}

TEST(FakeNvml, InitFailureIsNotAvailableWithTheReason) {
  const ScopedEnv not_loaded("IH_FAKE_NVML_INIT_RESULT", "9");
  const GpuHealthMonitor monitor(kFakeNvml);
  EXPECT_FALSE(monitor.available());
  EXPECT_EQ(monitor.reason(), "NVML did not start: Driver Not Loaded");
  EXPECT_TRUE(monitor.sample().empty());
}

TEST(FakeNvidiaDriver, ReportMatchesHealthToCudaDevicesByUuid) {
  ih::hwdetect::DetectOptions options;
  options.cuda_library = kFakeCuda;
  options.nvml_library = kFakeNvml;
  const json doc = json::parse(machine_report_json(detect_machine(options)));
  const json& devices = doc["cuda"]["devices"];
  ASSERT_EQ(devices.size(), 2u);
  EXPECT_EQ(devices[0]["name"], "NVIDIA H200");
  EXPECT_EQ(devices[0]["compute_capability"], "9.0");
  EXPECT_EQ(devices[0]["health"]["temperature_c"], 41);
  EXPECT_TRUE(devices[0]["health"]["fan_percent"].is_null());
  EXPECT_EQ(devices[0]["health"]["utilization_percent"], 0);
  EXPECT_EQ(devices[1]["health"]["temperature_c"], 55);
  EXPECT_EQ(devices[1]["health"]["fan_percent"], 30);
  EXPECT_TRUE(devices[1]["clock_mhz"].is_null());
  EXPECT_EQ(doc["cuda"]["driver_version"], "13.0");
  EXPECT_EQ(doc["nvml"]["available"], true);
  EXPECT_EQ(doc["nvml"]["driver_version"], "580.65.06");
}

}  // namespace
