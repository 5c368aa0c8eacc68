// OpenCL platforms and their devices, as the installed ICDs report them. No platform, a broken
// ICD or a build without OpenCL gives zero devices and a reason.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ih::hwdetect {

struct OpenClDevice {
  std::string name;
  std::string vendor;
  std::string type;  // "gpu", "cpu", "accelerator", "custom" or "other"
  unsigned compute_units = 0;
  std::uint64_t global_memory_bytes = 0;
  std::optional<unsigned> max_clock_mhz;
  std::string opencl_version;  // e.g. "OpenCL 3.0 PoCL ..."
  std::string driver_version;
};

struct OpenClPlatform {
  std::string name;
  std::string vendor;
  std::string version;
  std::vector<OpenClDevice> devices;
  std::string error;  // set when the platform's devices could not be listed
};

struct OpenClReport {
  bool built = false;  // false when this binary was built without OpenCL
  std::vector<OpenClPlatform> platforms;
  std::string reason;  // why there are no devices; empty when there are some

  std::size_t device_count() const;
};

OpenClReport detect_opencl();

}  // namespace ih::hwdetect
