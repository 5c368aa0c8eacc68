// cuda_scanner_catalog(): one entry per CUDA device, or one entry saying why there is none.
#include <cuda_runtime_api.h>

#include <memory>

#include "cuda/cuda_backend.hpp"
#include "gpu/pipelined_scanner.hpp"

namespace ih::kernels {

namespace {

// The oldest architecture this build carries machine code for (IH_CUDA_ARCHITECTURES).
constexpr int kMinComputeCapability = 75;

std::string no_device_reason(cudaError_t err) {
  std::string reason = "no usable CUDA device: cudaGetDeviceCount failed: ";
  reason += cudaGetErrorName(err);
  reason += " (";
  reason += cudaGetErrorString(err);
  reason += ")";
  if (err == cudaErrorInsufficientDriver)
    reason += "; the NVIDIA driver is missing (no libcuda.so.1) or older than this CUDA runtime";
  else if (err == cudaErrorNoDevice)
    reason += "; the driver sees no NVIDIA GPU";
  return reason;
}

}  // namespace

std::vector<ScannerEntry> cuda_scanner_catalog(const GpuScanOptions& options) {
  std::vector<ScannerEntry> catalog;
  int count = 0;
  const cudaError_t err = cudaGetDeviceCount(&count);
  if (err != cudaSuccess || count == 0) {
    catalog.push_back({"cuda", DeviceKind::cuda, false,
                       err != cudaSuccess ? no_device_reason(err) : "no CUDA device", nullptr});
    return catalog;
  }
  for (int device = 0; device < count; ++device) {
    ScannerEntry entry;
    entry.name = "cuda:" + std::to_string(device);
    entry.device = DeviceKind::cuda;
    cudaDeviceProp properties{};
    const cudaError_t prop_err = cudaGetDeviceProperties(&properties, device);
    const int capability = properties.major * 10 + properties.minor;
    if (prop_err != cudaSuccess) {
      entry.why_not = std::string("cudaGetDeviceProperties failed: ") + cudaGetErrorName(prop_err);
    } else if (capability < kMinComputeCapability) {
      entry.why_not = std::string(properties.name) + " has compute capability " +
                      std::to_string(properties.major) + "." + std::to_string(properties.minor) +
                      "; this build needs 7.5 or newer";
    } else {
      entry.runnable = true;
      entry.make = [device, options, name = entry.name]() -> std::unique_ptr<Scanner> {
        return std::make_unique<gpu::PipelinedScanner>(
            name, std::make_unique<cuda::CudaBackend>(device, options), options.launch_target_ms);
      };
    }
    catalog.push_back(std::move(entry));
  }
  return catalog;
}

}  // namespace ih::kernels
