// gpu_scanner_catalog(), and the entries a build without CUDA or OpenCL reports instead.
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
std::vector<ScannerEntry> opencl_scanner_catalog(const GpuScanOptions&) {
  return {{"opencl", DeviceKind::opencl, false,
           "this binary was built without OpenCL (install ocl-icd-opencl-dev opencl-headers)",
           nullptr}};
}
#endif

std::vector<ScannerEntry> gpu_scanner_catalog(const GpuScanOptions& options) {
  std::vector<ScannerEntry> catalog = cuda_scanner_catalog(options);
  for (ScannerEntry& entry : opencl_scanner_catalog(options)) catalog.push_back(std::move(entry));
  return catalog;
}

}  // namespace ih::kernels
