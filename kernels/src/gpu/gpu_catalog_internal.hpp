// How the GPU catalog is put together from its backends.
#pragma once

#include <vector>

#include "ih/kernels/gpu_scanner.hpp"

namespace ih::kernels::gpu {

// The OpenCL entries. `cuda_runnable`: CUDA already drives at least one GPU, so NVIDIA devices
// seen through OpenCL are the same GPUs (see GpuScanOptions::opencl_on_cuda_gpus).
std::vector<ScannerEntry> opencl_catalog(const GpuScanOptions& options, bool cuda_runnable);

}  // namespace ih::kernels::gpu
