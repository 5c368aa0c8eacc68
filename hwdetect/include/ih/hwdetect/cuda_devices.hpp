// NVIDIA GPUs as the CUDA driver reports them. The driver (libcuda.so.1) is loaded at run time:
// a machine without it, or with one too old for our kernels, gets a reason, not a crash.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ih/hwdetect/gpu_health.hpp"

namespace ih::hwdetect {

inline constexpr const char* kCudaDriverLibrary = "libcuda.so.1";

struct CudaDevice {
  int index = 0;  // CUDA ordinal
  std::string name;
  std::string uuid;        // "GPU-xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx", as nvidia-smi prints it
  std::string pci_bus_id;  // "0000:3b:00.0"
  int compute_major = 0;
  int compute_minor = 0;
  int multiprocessors = 0;
  std::uint64_t memory_bytes = 0;
  std::optional<unsigned> clock_mhz;         // peak SM clock
  std::optional<unsigned> memory_clock_mhz;  // peak memory clock
  GpuHealth health;                          // from NVML, matched by UUID; empty without it
};

struct CudaReport {
  std::optional<int> driver_version;   // CUDA version the driver supports, e.g. 12040 = 12.4
  std::optional<int> runtime_version;  // CUDA version our GPU kernels were built with
  std::vector<CudaDevice> devices;
  // Why CUDA cannot be used (no driver, no device, driver too old); empty when it can.
  std::string reason;

  bool usable() const { return reason.empty() && !devices.empty(); }
};

// The CUDA version this build's GPU kernels were compiled with; empty in a build without them.
std::optional<int> built_cuda_runtime_version();

// `library` and `runtime_version` are injectable so tests can point at a missing or stand-in
// driver and ask for a newer CUDA than it supports.
CudaReport detect_cuda(const std::string& library = kCudaDriverLibrary,
                       std::optional<int> runtime_version = built_cuda_runtime_version());

// 12040 -> "12.4".
std::string cuda_version_string(int version);
// Why a driver supporting `driver` cannot run kernels built with `runtime`; empty when it can.
std::string cuda_driver_problem(int driver, std::optional<int> runtime);

}  // namespace ih::hwdetect
