// The OpenCL catalog entries: one per device; CPU devices only when asked for, NVIDIA GPUs only
// when CUDA does not drive them.
#include <memory>

#include "gpu/gpu_catalog_internal.hpp"
#include "gpu/pipelined_scanner.hpp"
#include "opencl/opencl_backend.hpp"
#include "opencl/opencl_child_probe.hpp"
#include "opencl/opencl_devices.hpp"

namespace ih::kernels::gpu {

namespace {

bool is_nvidia(const opencl::OpenClDevice& device) {
  return device.vendor.find("NVIDIA") != std::string::npos ||
         device.platform_name.find("NVIDIA") != std::string::npos;
}

// Why `device` cannot mine under `options`, or empty when it can.
std::string why_not(const opencl::OpenClDevice& device, const GpuScanOptions& options,
                    bool cuda_runnable) {
  if (device.is_cpu && !options.include_cpu_devices)
    return "'" + device.name + "' (" + device.platform_name +
           ") is a CPU OpenCL device: the native CPU scanners are faster on the same "
           "cores; name it in --opencl-devices to mine on it anyway";
  if (!device.is_cpu && cuda_runnable && is_nvidia(device))
    return "'" + device.name +
           "' is an NVIDIA GPU, mined through the faster CUDA scanner; ask for OpenCL "
           "on it explicitly to use this one instead";
  return {};
}

// The platforms are first listed from a child process; only when one of their devices can mine
// are they loaded here (a CPU-only rig with PoCL installed then stays small).
opencl::OpenClDiscovery discover(const GpuScanOptions& options, bool cuda_runnable) {
  if (options.include_cpu_devices) return opencl::discover_opencl_devices();  // any device mines
  opencl::OpenClDiscovery probed = opencl::discover_opencl_devices_in_child();
  for (const opencl::OpenClDevice& device : probed.devices)
    if (why_not(device, options, cuda_runnable).empty()) return opencl::discover_opencl_devices();
  return probed;
}

}  // namespace

std::vector<ScannerEntry> opencl_catalog(const GpuScanOptions& options, bool cuda_runnable) {
  std::vector<ScannerEntry> catalog;
  const opencl::OpenClDiscovery found = discover(options, cuda_runnable);
  if (found.devices.empty()) {
    catalog.push_back({"opencl", DeviceKind::opencl, false, found.problems, nullptr});
    return catalog;
  }
  for (const opencl::OpenClDevice& device : found.devices) {
    ScannerEntry entry;
    entry.name = device.id();
    entry.device = DeviceKind::opencl;
    entry.why_not = why_not(device, options, cuda_runnable);
    entry.runnable = entry.why_not.empty();
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
