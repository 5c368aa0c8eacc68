// opencl_scanner_catalog(): one entry per OpenCL device; CPU devices only when asked for.
#include <memory>

#include "gpu/pipelined_scanner.hpp"
#include "opencl/opencl_backend.hpp"
#include "opencl/opencl_devices.hpp"

namespace ih::kernels {

std::vector<ScannerEntry> opencl_scanner_catalog(const GpuScanOptions& options) {
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
    entry.runnable = !device.is_cpu || options.include_cpu_devices;
    if (!entry.runnable)
      entry.why_not = "'" + device.name + "' (" + device.platform_name +
                      ") is a CPU OpenCL device: the native CPU scanners are faster on the same "
                      "cores; name it in --opencl-devices to mine on it anyway";
    entry.make = [device, options]() -> std::unique_ptr<Scanner> {
      return std::make_unique<gpu::PipelinedScanner>(
          device.id(), std::make_unique<opencl::OpenClBackend>(device, options),
          options.launch_target_ms);
    };
    catalog.push_back(std::move(entry));
  }
  return catalog;
}

}  // namespace ih::kernels
