// The few NVML entry points hwdetect calls, declared here because no NVML header is installed.
// Signatures and values follow NVIDIA's nvml.h (stable since the _v2 entry points, CUDA 8+).
#pragma once

namespace ih::hwdetect::nvml_api {

using nvmlReturn_t = int;
struct nvmlDevice_st;
using nvmlDevice_t = nvmlDevice_st*;
struct nvmlUtilization_t {
  unsigned gpu;
  unsigned memory;
};

inline constexpr nvmlReturn_t kSuccess = 0;
inline constexpr int kTemperatureGpu = 0;  // nvmlTemperatureSensors_t
inline constexpr int kClockSm = 1;         // nvmlClockType_t
inline constexpr int kClockMem = 2;
inline constexpr unsigned kBufferSize = 96;  // >= NVML's name, UUID and driver version sizes

using nvmlInit_t = nvmlReturn_t (*)();
using nvmlShutdown_t = nvmlReturn_t (*)();
using nvmlErrorString_t = const char* (*)(nvmlReturn_t);
using nvmlSystemGetDriverVersion_t = nvmlReturn_t (*)(char* version, unsigned length);
using nvmlDeviceGetCount_t = nvmlReturn_t (*)(unsigned* count);
using nvmlDeviceGetHandleByIndex_t = nvmlReturn_t (*)(unsigned index, nvmlDevice_t* device);
using nvmlDeviceGetString_t = nvmlReturn_t (*)(nvmlDevice_t device, char* text, unsigned length);
using nvmlDeviceGetTemperature_t = nvmlReturn_t (*)(nvmlDevice_t device, int sensor,
                                                    unsigned* celsius);
using nvmlDeviceGetUnsigned_t = nvmlReturn_t (*)(nvmlDevice_t device, unsigned* value);
using nvmlDeviceGetClockInfo_t = nvmlReturn_t (*)(nvmlDevice_t device, int type, unsigned* mhz);
using nvmlDeviceGetUtilizationRates_t = nvmlReturn_t (*)(nvmlDevice_t device,
                                                         nvmlUtilization_t* utilization);

}  // namespace ih::hwdetect::nvml_api
