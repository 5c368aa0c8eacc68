#include "ih/hwdetect/gpu_health.hpp"

#include <array>

#include "dynamic_library.hpp"
#include "nvml_api.hpp"

namespace ih::hwdetect {

using namespace nvml_api;

struct GpuHealthMonitor::Impl {
  explicit Impl(const std::string& library) : lib(library) {}

  DynamicLibrary lib;
  std::string reason;
  bool initialised = false;
  nvmlInit_t init = nullptr;
  nvmlShutdown_t shutdown = nullptr;
  nvmlErrorString_t error_string = nullptr;
  nvmlSystemGetDriverVersion_t driver_version = nullptr;
  nvmlDeviceGetCount_t device_count = nullptr;
  nvmlDeviceGetHandleByIndex_t device_by_index = nullptr;
  nvmlDeviceGetString_t name = nullptr;
  nvmlDeviceGetString_t uuid = nullptr;
  // Optional: a driver that lacks one of these just leaves that field empty.
  nvmlDeviceGetTemperature_t temperature = nullptr;
  nvmlDeviceGetUnsigned_t power_usage_mw = nullptr;
  nvmlDeviceGetUnsigned_t power_limit_mw = nullptr;
  nvmlDeviceGetUnsigned_t fan_speed = nullptr;
  nvmlDeviceGetClockInfo_t clock = nullptr;
  nvmlDeviceGetUtilizationRates_t utilization = nullptr;

  std::string describe(nvmlReturn_t code) const {
    const char* text = error_string != nullptr ? error_string(code) : nullptr;
    return text != nullptr ? text : "NVML error " + std::to_string(code);
  }

  void open(const std::string& library) {
    if (!lib.loaded()) {
      reason = library + " not found: no NVIDIA driver (" + lib.error() + ")";
      return;
    }
    const bool required = lib.symbol("nvmlInit_v2", init) && lib.symbol("nvmlShutdown", shutdown) &&
                          lib.symbol("nvmlDeviceGetCount_v2", device_count) &&
                          lib.symbol("nvmlDeviceGetHandleByIndex_v2", device_by_index) &&
                          lib.symbol("nvmlDeviceGetName", name) &&
                          lib.symbol("nvmlDeviceGetUUID", uuid);
    if (!required) {
      reason = library + " lacks the NVML functions we need: driver too old";
      return;
    }
    lib.symbol("nvmlErrorString", error_string);
    lib.symbol("nvmlSystemGetDriverVersion", driver_version);
    lib.symbol("nvmlDeviceGetTemperature", temperature);
    lib.symbol("nvmlDeviceGetPowerUsage", power_usage_mw);
    lib.symbol("nvmlDeviceGetEnforcedPowerLimit", power_limit_mw);
    lib.symbol("nvmlDeviceGetFanSpeed", fan_speed);
    lib.symbol("nvmlDeviceGetClockInfo", clock);
    lib.symbol("nvmlDeviceGetUtilizationRates", utilization);
    if (const nvmlReturn_t rc = init(); rc != kSuccess) {
      reason = "NVML did not start: " + describe(rc);
      return;
    }
    initialised = true;
  }

  GpuHealth read(nvmlDevice_t device) const {
    GpuHealth h;
    unsigned value = 0;
    if (temperature != nullptr && temperature(device, kTemperatureGpu, &value) == kSuccess)
      h.temperature_c = value;
    if (power_usage_mw != nullptr && power_usage_mw(device, &value) == kSuccess)
      h.power_w = value / 1000.0;
    if (power_limit_mw != nullptr && power_limit_mw(device, &value) == kSuccess)
      h.power_limit_w = value / 1000.0;
    // Passively cooled data-centre GPUs answer NOT_SUPPORTED here: no fan, so no number.
    if (fan_speed != nullptr && fan_speed(device, &value) == kSuccess) h.fan_percent = value;
    if (clock != nullptr && clock(device, kClockSm, &value) == kSuccess) h.sm_clock_mhz = value;
    if (clock != nullptr && clock(device, kClockMem, &value) == kSuccess)
      h.memory_clock_mhz = value;
    nvmlUtilization_t busy{};
    if (utilization != nullptr && utilization(device, &busy) == kSuccess) {
      h.utilization_percent = busy.gpu;
      h.memory_utilization_percent = busy.memory;
    }
    return h;
  }
};

GpuHealthMonitor::GpuHealthMonitor(const std::string& library)
    : impl_(std::make_unique<Impl>(library)) {
  impl_->open(library);
}

GpuHealthMonitor::~GpuHealthMonitor() {
  if (impl_->initialised) impl_->shutdown();
}

bool GpuHealthMonitor::available() const {
  return impl_->initialised;
}

const std::string& GpuHealthMonitor::reason() const {
  return impl_->reason;
}

std::optional<std::string> GpuHealthMonitor::driver_version() const {
  std::array<char, kBufferSize> text{};
  if (!impl_->initialised || impl_->driver_version == nullptr ||
      impl_->driver_version(text.data(), kBufferSize) != kSuccess)
    return std::nullopt;
  return std::string(text.data());
}

std::vector<GpuHealthSample> GpuHealthMonitor::sample() const {
  std::vector<GpuHealthSample> samples;
  unsigned count = 0;
  if (!impl_->initialised || impl_->device_count(&count) != kSuccess) return samples;
  for (unsigned i = 0; i < count; ++i) {
    nvmlDevice_t device = nullptr;
    if (impl_->device_by_index(i, &device) != kSuccess) continue;
    GpuHealthSample s;
    s.index = i;
    std::array<char, kBufferSize> text{};
    if (impl_->name(device, text.data(), kBufferSize) == kSuccess) s.name = text.data();
    text.fill(0);
    if (impl_->uuid(device, text.data(), kBufferSize) == kSuccess) s.uuid = text.data();
    s.health = impl_->read(device);
    samples.push_back(std::move(s));
  }
  return samples;
}

GpuHealth health_for(const std::vector<GpuHealthSample>& samples, const std::string& uuid) {
  if (uuid.empty()) return {};
  for (const GpuHealthSample& s : samples)
    if (s.uuid == uuid) return s.health;
  return {};
}

}  // namespace ih::hwdetect
