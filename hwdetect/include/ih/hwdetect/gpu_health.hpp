// GPU health from NVML (temperature, power, fan, clocks, utilisation), sampled for the status
// endpoint. NVML is loaded at run time; whatever it cannot tell stays empty (JSON null), never 0.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ih::hwdetect {

inline constexpr const char* kNvmlLibrary = "libnvidia-ml.so.1";

struct GpuHealth {
  std::optional<unsigned> temperature_c;
  std::optional<double> power_w;
  std::optional<double> power_limit_w;
  std::optional<unsigned> fan_percent;
  std::optional<unsigned> sm_clock_mhz;
  std::optional<unsigned> memory_clock_mhz;
  std::optional<unsigned> utilization_percent;         // GPU busy, last sample period
  std::optional<unsigned> memory_utilization_percent;  // memory controller busy
};

struct GpuHealthSample {
  unsigned index = 0;  // NVML's order (PCI order), which may differ from CUDA's
  std::string uuid;    // "GPU-xxxxxxxx-...", the key to match a CUDA device
  std::string name;
  GpuHealth health;
};

// Keeps NVML initialised between samples; one per process is enough. Thread-safe (NVML is).
class GpuHealthMonitor {
 public:
  explicit GpuHealthMonitor(const std::string& library = kNvmlLibrary);
  GpuHealthMonitor(const GpuHealthMonitor&) = delete;
  GpuHealthMonitor& operator=(const GpuHealthMonitor&) = delete;
  ~GpuHealthMonitor();

  bool available() const;
  // Why NVML is not available ("libnvidia-ml.so.1 not found: ..."); empty when it is.
  const std::string& reason() const;
  std::optional<std::string> driver_version() const;
  // Every GPU NVML sees, read now.
  std::vector<GpuHealthSample> sample() const;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

// The sample for one GPU by UUID; all fields empty when NVML does not know it.
GpuHealth health_for(const std::vector<GpuHealthSample>& samples, const std::string& uuid);

}  // namespace ih::hwdetect
