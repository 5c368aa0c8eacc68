// Everything hwdetect knows about the machine, gathered once, and its JSON form: the schema of
// `infinite-hashes devices --json`, reused by the status endpoint (see docs/devices-json.md).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ih/hwdetect/cpu.hpp"
#include "ih/hwdetect/cuda_devices.hpp"
#include "ih/hwdetect/gpu_health.hpp"
#include "ih/hwdetect/opencl_devices.hpp"
#include "ih/hwdetect/thread_plan.hpp"
#include "ih/hwdetect/topology.hpp"

namespace ih::hwdetect {

inline constexpr int kMachineReportSchemaVersion = 1;

struct NvmlStatus {
  bool available = false;
  std::string reason;  // why not, when not available
  std::optional<std::string> driver_version;
};

struct MachineReport {
  CpuInfo cpu;
  std::optional<TopologySummary> topology;  // absent when hwloc failed: see topology_error
  std::string topology_error;
  std::optional<ThreadPlan> thread_plan;  // absent when it could not be made: see thread_plan_error
  std::string thread_plan_error;
  CudaReport cuda;  // each device's health filled from NVML
  OpenClReport opencl;
  NvmlStatus nvml;
};

struct DetectOptions {
  std::string cuda_library = kCudaDriverLibrary;
  std::string nvml_library = kNvmlLibrary;
  std::optional<unsigned> threads;          // as --threads
  std::optional<std::string> cpu_affinity;  // as --cpu-affinity
};

MachineReport detect_machine(const DetectOptions& options = {});

// Fills each CUDA device's health from NVML samples (by UUID) and records NVML's status.
void attach_gpu_health(MachineReport& report, const GpuHealthMonitor& monitor);

std::string machine_report_json(const MachineReport& report, int indent = 2);

}  // namespace ih::hwdetect
