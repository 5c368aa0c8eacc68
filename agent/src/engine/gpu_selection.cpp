#include "engine/gpu_selection.hpp"

#include <algorithm>

#include "ih/kernels/gpu_scanner.hpp"

namespace ih::agent {

namespace {

bool is_device_entry(const kernels::ScannerEntry& e, const std::string& prefix) {
  return e.name.rfind(prefix + ":", 0) == 0;
}

// Keeps the entries the indices name (or every runnable device when there are none).
Result<bool> pick(const std::vector<kernels::ScannerEntry>& catalog, const std::string& kind,
                  const std::vector<int>& indices, GpuSelection& out) {
  std::vector<const kernels::ScannerEntry*> devices;
  std::string why_none;
  for (const auto& e : catalog) {
    if (is_device_entry(e, kind))
      devices.push_back(&e);
    else if (!e.runnable)
      why_none = e.why_not;
  }
  const std::string field = kind + "-devices";
  if (indices.empty()) {
    for (const auto* e : devices)
      if (e->runnable)
        out.devices.push_back(*e);
      else
        out.unavailable.push_back(e->name + ": " + e->why_not);
    if (devices.empty() && !why_none.empty()) out.unavailable.push_back(kind + ": " + why_none);
    return true;
  }
  for (int index : indices) {
    if (index < 0)
      return make_error(field + ": device indices start at 0, got " + std::to_string(index));
    if (static_cast<std::size_t>(index) >= devices.size()) {
      std::string detail =
          devices.empty() ? "there are none" : "there are " + std::to_string(devices.size());
      if (devices.empty() && !why_none.empty()) detail += ": " + why_none;
      return make_error(field + ": no " + kind + " device " + std::to_string(index) + " (" +
                        detail + ")");
    }
    const auto* e = devices[static_cast<std::size_t>(index)];
    if (!e->runnable) return make_error(field + ": " + e->name + " cannot mine: " + e->why_not);
    const bool repeated = std::any_of(out.devices.begin(), out.devices.end(),
                                      [&](const auto& chosen) { return chosen.name == e->name; });
    if (repeated) return make_error(field + ": device " + std::to_string(index) + " listed twice");
    out.devices.push_back(*e);
  }
  return true;
}

}  // namespace

Result<GpuSelection> select_gpu_devices(const std::vector<int>& cuda,
                                        const std::vector<int>& opencl, bool no_gpu) {
  GpuSelection selection;
  if (no_gpu) {
    if (!cuda.empty() || !opencl.empty())
      return make_error("no-gpu: cannot be combined with cuda-devices or opencl-devices");
    return selection;
  }
  kernels::GpuScanOptions options;
  options.include_cpu_devices = !opencl.empty();  // PoCL and the like: only when asked for
  if (auto r = pick(kernels::cuda_scanner_catalog(options), "cuda", cuda, selection); !r)
    return r.error();
  if (auto r = pick(kernels::opencl_scanner_catalog(options), "opencl", opencl, selection); !r)
    return r.error();
  return selection;
}

}  // namespace ih::agent
