// The OpenCL catalog entries: one per device; CPU devices only when asked for, NVIDIA GPUs only
// when CUDA does not drive them.
#include <memory>

#include "gpu/gpu_catalog_internal.hpp"
#include "gpu/pipelined_scanner.hpp"
#include "opencl/opencl_backend.hpp"
#include "opencl/opencl_devices.hpp"

namespace ih::kernels::gpu {

namespace {

bool is_nvidia(const opencl::OpenClDevice& device) {
  return device.vendor.find("NVIDIA") != std::string::npos ||
         device.platform_name.find("NVIDIA") != std::string::npos;
}

}  // namespace

std::vector<ScannerEntry> opencl_catalog(const GpuScanOptions& options, bool cuda_runnable) {
  std::vector<ScannerEntry> catalog;
  const opencl::OpenClDiscovery found = opencl::discover_opencl_devices();
  if (found.devices.empty()) {
    catalog.push_back({"opencl", DeviceKind::opencl, false, found.problems, nullptr});
    return catalog;
  }
  for (const opencl::OpenClDevice& device : found.devices) {
    ScannerEntry entry;
    entry.name = device.id();
    entry.device = DeviceKind::opencl;
    entry.runnable = true;
    if (device.is_cpu && !options.include_cpu_devices) {
      entry.runnable = false;
      entry.why_not = "'" + device.name + "' (" + device.platform_name +
                      ") is a CPU OpenCL device: the native CPU scanners are faster on the same "
                      "cores; name it in --opencl-devices to mine on it anyway";
    } else if (!device.is_cpu && cuda_runnable && is_nvidia(device)) {
      entry.runnable = false;
      entry.why_not = "'" + device.name +
                      "' is an NVIDIA GPU, mined through the faster CUDA scanner; ask for OpenCL "
                      "on it explicitly to use this one instead";
    }
    if (entry.runnable) {
      entry.make = [device, options]() -> std::unique_ptr<Scanner> {
        return std::make_unique<PipelinedScanner>(
            device.id(), std::make_unique<opencl::OpenClBackend>(device, options),
            options.launch_target_ms);
      };
    }
    catalog.push_back(std::move(entry));
  }
  return catalog;
}

}  // namespace ih::kernels::gpu
