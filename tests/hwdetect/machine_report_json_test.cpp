// The JSON schema of `devices --json` (docs/devices-json.md): keys, types, null for unknown.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ih/hwdetect/machine_report.hpp"

namespace {

using ih::hwdetect::MachineReport;
using nlohmann::json;

ih::hwdetect::DetectOptions without_nvidia_driver() {
  ih::hwdetect::DetectOptions options;
  options.cuda_library = "/nonexistent/libcuda.so.1";
  options.nvml_library = "/nonexistent/libnvidia-ml.so.1";
  return options;
}

const char* const kHealthFields[] = {
    "temperature_c", "power_w",          "power_limit_w",       "fan_percent",
    "sm_clock_mhz",  "memory_clock_mhz", "utilization_percent", "memory_utilization_percent"};

TEST(MachineReportJson, DetectedMachineHasEveryTopLevelSection) {
  const json doc = json::parse(machine_report_json(detect_machine(without_nvidia_driver())));
  EXPECT_EQ(doc["schema_version"], 1);
  for (const char* key : {"vendor", "model", "logical_cpus", "flags", "topology", "thread_plan"})
    EXPECT_TRUE(doc["cpu"].contains(key)) << key;
  EXPECT_TRUE(doc["cpu"]["flags"].is_array());
  EXPECT_GE(doc["cpu"]["topology"]["cores"].get<int>(), 1);
  EXPECT_TRUE(doc["cpu"]["topology_error"].is_null());
  EXPECT_EQ(doc["cpu"]["thread_plan"]["threads"], doc["cpu"]["topology"]["cores"]);
  EXPECT_EQ(doc["cuda"]["devices"], json::array());
  EXPECT_EQ(doc["cuda"]["usable"], false);
  EXPECT_TRUE(doc["cuda"]["reason"].is_string());
  EXPECT_TRUE(doc["cuda"]["driver_version"].is_null());
  EXPECT_EQ(doc["nvml"]["available"], false);
  EXPECT_TRUE(doc["nvml"]["reason"].is_string());
  EXPECT_TRUE(doc["nvml"]["driver_version"].is_null());
  EXPECT_TRUE(doc["opencl"]["built"].is_boolean());
  EXPECT_TRUE(doc["opencl"]["platforms"].is_array());
}

TEST(MachineReportJson, GpuHealthWithoutNvmlIsNullNeverZero) {
  MachineReport report;
  ih::hwdetect::CudaDevice gpu;
  gpu.name = "NVIDIA H200";
  gpu.uuid = "GPU-11111111-2222-3333-4444-555555555555";
  gpu.compute_major = 9;
  report.cuda.devices.push_back(gpu);
  const ih::hwdetect::GpuHealthMonitor no_nvml("/nonexistent/libnvidia-ml.so.1");
  attach_gpu_health(report, no_nvml);
  const json doc = json::parse(machine_report_json(report));
  const json& health = doc["cuda"]["devices"][0]["health"];
  for (const char* field : kHealthFields) {
    ASSERT_TRUE(health.contains(field)) << field;
    EXPECT_TRUE(health[field].is_null()) << field << " = " << health[field];
  }
  EXPECT_TRUE(doc["cuda"]["devices"][0]["clock_mhz"].is_null());
  EXPECT_EQ(doc["cuda"]["devices"][0]["compute_capability"], "9.0");
  EXPECT_EQ(doc["nvml"]["available"], false);
}

TEST(MachineReportJson, KnownHealthValuesAreNumbersAndZeroStaysZero) {
  MachineReport report;
  ih::hwdetect::CudaDevice gpu;
  gpu.health.temperature_c = 64;
  gpu.health.power_w = 412.5;
  gpu.health.fan_percent = 0;  // a real reading of 0 is not "unknown"
  report.cuda.devices.push_back(gpu);
  const json health = json::parse(machine_report_json(report))["cuda"]["devices"][0]["health"];
  EXPECT_EQ(health["temperature_c"], 64);
  EXPECT_DOUBLE_EQ(health["power_w"].get<double>(), 412.5);
  EXPECT_EQ(health["fan_percent"], 0);
  EXPECT_TRUE(health["sm_clock_mhz"].is_null());
}

TEST(MachineReportJson, MissingTopologyIsNullWithTheError) {
  MachineReport report;
  report.topology_error = "hwloc could not read this machine's topology";
  report.thread_plan_error = "no topology to plan threads on";
  const json doc = json::parse(machine_report_json(report));
  EXPECT_TRUE(doc["cpu"]["topology"].is_null());
  EXPECT_EQ(doc["cpu"]["topology_error"], report.topology_error);
  EXPECT_TRUE(doc["cpu"]["thread_plan"].is_null());
  EXPECT_EQ(doc["cpu"]["thread_plan_error"], report.thread_plan_error);
}

TEST(MachineReportJson, InvalidUtf8FromADriverDoesNotThrow) {
  MachineReport report;
  ih::hwdetect::CudaDevice gpu;
  gpu.name = "bad \xff name";
  report.cuda.devices.push_back(gpu);
  EXPECT_NO_THROW(json::parse(machine_report_json(report)));
}

}  // namespace
