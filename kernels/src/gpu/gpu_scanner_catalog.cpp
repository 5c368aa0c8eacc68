// gpu_scanner_catalog(), and the entries a build without CUDA or OpenCL reports instead.
#include "gpu/gpu_catalog_internal.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace ih::kernels {

#if !IH_WITH_CUDA
std::vector<ScannerEntry> cuda_scanner_catalog(const GpuScanOptions&) {
  return {{"cuda", DeviceKind::cuda, false,
           "this binary was built without CUDA (configure with nvcc available, -DIH_CUDA=ON)",
           nullptr}};
}
#endif

#if !IH_WITH_OPENCL
std::vector<ScannerEntry> gpu::opencl_catalog(const GpuScanOptions&, bool) {
  return {{"opencl", DeviceKind::opencl, false,
           "this binary was built without OpenCL (install ocl-icd-opencl-dev opencl-headers)",
           nullptr}};
}
#endif

namespace {

bool any_runnable(const std::vector<ScannerEntry>& entries) {
  for (const ScannerEntry& entry : entries)
    if (entry.runnable) return true;
  return false;
}

}  // namespace

std::vector<ScannerEntry> opencl_scanner_catalog(const GpuScanOptions& options) {
  return gpu::opencl_catalog(options,
                             !options.opencl_on_cuda_gpus && any_runnable(cuda_scanner_catalog()));
}

std::vector<ScannerEntry> gpu_scanner_catalog(const GpuScanOptions& options) {
  std::vector<ScannerEntry> catalog = cuda_scanner_catalog(options);
  const bool cuda_runnable = !options.opencl_on_cuda_gpus && any_runnable(catalog);
  for (ScannerEntry& entry : gpu::opencl_catalog(options, cuda_runnable))
    catalog.push_back(std::move(entry));
  return catalog;
}

}  // namespace ih::kernels
