// The few CUDA driver API entry points hwdetect calls, declared here so that neither the CUDA
// toolkit nor libcuda is needed to build or run. Values and signatures match cuda.h (CUDA 13).
#pragma once

#include <cstddef>

namespace ih::hwdetect::cuda_api {

using CUresult = int;
using CUdevice = int;
struct CUuuid {
  char bytes[16];
};

inline constexpr CUresult kSuccess = 0;
inline constexpr CUresult kErrorNoDevice = 100;
inline constexpr CUresult kErrorInsufficientDriver = 35;

// CUdevice_attribute values.
inline constexpr int kAttrClockRateKhz = 13;
inline constexpr int kAttrMultiprocessorCount = 16;
inline constexpr int kAttrPciBusId = 33;
inline constexpr int kAttrPciDeviceId = 34;
inline constexpr int kAttrMemoryClockRateKhz = 36;
inline constexpr int kAttrPciDomainId = 50;
inline constexpr int kAttrComputeCapabilityMajor = 75;
inline constexpr int kAttrComputeCapabilityMinor = 76;

using cuInit_t = CUresult (*)(unsigned flags);
using cuDriverGetVersion_t = CUresult (*)(int* version);
using cuDeviceGetCount_t = CUresult (*)(int* count);
using cuDeviceGet_t = CUresult (*)(CUdevice* device, int ordinal);
using cuDeviceGetName_t = CUresult (*)(char* name, int length, CUdevice device);
using cuDeviceTotalMem_t = CUresult (*)(std::size_t* bytes, CUdevice device);
using cuDeviceGetAttribute_t = CUresult (*)(int* value, int attribute, CUdevice device);
using cuDeviceGetUuid_t = CUresult (*)(CUuuid* uuid, CUdevice device);
using cuGetErrorName_t = CUresult (*)(CUresult error, const char** name);

}  // namespace ih::hwdetect::cuda_api
