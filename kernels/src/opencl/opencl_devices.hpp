// OpenCL platforms and devices as the scanners see them, with a reason when there are none.
#pragma once

#include <string>
#include <vector>

#include "opencl/opencl_api.hpp"

namespace ih::kernels::opencl {

struct OpenClDevice {
  unsigned platform_index = 0;
  unsigned device_index = 0;
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;
  std::string name;
  std::string vendor;
  std::string platform_name;
  std::string platform_version;
  std::string device_version;
  std::string driver_version;
  bool is_cpu = false;
  unsigned compute_units = 1;

  // "opencl:<platform>:<device>", the catalog name.
  std::string id() const;
};

struct OpenClDiscovery {
  std::vector<OpenClDevice> devices;
  std::string problems;  // why there are none, or which platforms failed; empty when all fine
};

OpenClDiscovery discover_opencl_devices();

}  // namespace ih::kernels::opencl
