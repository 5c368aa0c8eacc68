// A stand-in for libnvidia-ml.so.1 matching fake_libcuda's two GPUs, listed in the other order
// (NVML's PCI order need not be CUDA's). The H200 has no fan (NOT_SUPPORTED) and is idle (0%
// busy): the report must say null for the first and 0 for the second.
// IH_FAKE_NVML_INIT_RESULT sets nvmlInit_v2's return.
#include <cstdio>
#include <cstdlib>

namespace {

constexpr int kNotSupported = 3;
constexpr int kInvalidArgument = 2;

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::atoi(text) : fallback;
}

struct FakeGpu {
  const char* name;
  const char* uuid;
  unsigned temperature_c, power_mw, limit_mw, sm_mhz, mem_mhz, gpu_busy, mem_busy;
  int fan_percent;  // -1: no fan
};

// NVML index 0 is CUDA device 1 and vice versa.
const FakeGpu kGpus[2] = {
    {"NVIDIA GeForce RTX 4090", "GPU-10111213-1415-1617-1819-1a1b1c1d1e1f", 55, 310250, 450000,
     2520, 10501, 97, 12, 30},
    {"NVIDIA H200", "GPU-00010203-0405-0607-0809-0a0b0c0d0e0f", 41, 118500, 700000, 1980, 2619, 0,
     0, -1},
};

const FakeGpu* gpu(void* device) {
  return static_cast<const FakeGpu*>(device);
}

}  // namespace

extern "C" {

struct FakeUtilization {
  unsigned gpu;
  unsigned memory;
};

int nvmlInit_v2() {
  return env_int("IH_FAKE_NVML_INIT_RESULT", 0);
}
int nvmlShutdown() {
  return 0;
}
const char* nvmlErrorString(int rc) {
  return rc == 9 ? "Driver Not Loaded" : "Unknown Error";
}

int nvmlSystemGetDriverVersion(char* version, unsigned length) {
  std::snprintf(version, length, "580.65.06");
  return 0;
}

int nvmlDeviceGetCount_v2(unsigned* count) {
  *count = 2;
  return 0;
}

int nvmlDeviceGetHandleByIndex_v2(unsigned index, void** device) {
  if (index > 1) return kInvalidArgument;
  *device = const_cast<FakeGpu*>(&kGpus[index]);
  return 0;
}

int nvmlDeviceGetName(void* device, char* name, unsigned length) {
  std::snprintf(name, length, "%s", gpu(device)->name);
  return 0;
}

int nvmlDeviceGetUUID(void* device, char* uuid, unsigned length) {
  std::snprintf(uuid, length, "%s", gpu(device)->uuid);
  return 0;
}

int nvmlDeviceGetTemperature(void* device, int sensor, unsigned* celsius) {
  if (sensor != 0) return kInvalidArgument;
  *celsius = gpu(device)->temperature_c;
  return 0;
}

int nvmlDeviceGetPowerUsage(void* device, unsigned* milliwatts) {
  *milliwatts = gpu(device)->power_mw;
  return 0;
}

int nvmlDeviceGetEnforcedPowerLimit(void* device, unsigned* milliwatts) {
  *milliwatts = gpu(device)->limit_mw;
  return 0;
}

int nvmlDeviceGetFanSpeed(void* device, unsigned* percent) {
  if (gpu(device)->fan_percent < 0) return kNotSupported;
  *percent = static_cast<unsigned>(gpu(device)->fan_percent);
  return 0;
}

int nvmlDeviceGetClockInfo(void* device, int type, unsigned* mhz) {
  if (type == 1)
    *mhz = gpu(device)->sm_mhz;
  else if (type == 2)
    *mhz = gpu(device)->mem_mhz;
  else
    return kInvalidArgument;
  return 0;
}

int nvmlDeviceGetUtilizationRates(void* device, FakeUtilization* busy) {
  busy->gpu = gpu(device)->gpu_busy;
  busy->memory = gpu(device)->mem_busy;
  return 0;
}

}  // extern "C"
