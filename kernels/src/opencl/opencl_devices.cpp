#include "opencl/opencl_devices.hpp"

namespace ih::kernels::opencl {

std::string OpenClDevice::id() const {
  return "opencl:" + std::to_string(platform_index) + ":" + std::to_string(device_index);
}

namespace {

void append_problem(std::string& problems, const std::string& text) {
  if (!problems.empty()) problems += "; ";
  problems += text;
}

OpenClDevice describe(cl_platform_id platform, cl_device_id device, unsigned platform_index,
                      unsigned device_index) {
  OpenClDevice d;
  d.platform_index = platform_index;
  d.device_index = device_index;
  d.platform = platform;
  d.device = device;
  d.name = device_info_string(device, CL_DEVICE_NAME);
  d.vendor = device_info_string(device, CL_DEVICE_VENDOR);
  d.device_version = device_info_string(device, CL_DEVICE_VERSION);
  d.driver_version = device_info_string(device, CL_DRIVER_VERSION);
  d.platform_name = platform_info_string(platform, CL_PLATFORM_NAME);
  d.platform_version = platform_info_string(platform, CL_PLATFORM_VERSION);
  cl_device_type type = 0;
  if (clGetDeviceInfo(device, CL_DEVICE_TYPE, sizeof(type), &type, nullptr) == CL_SUCCESS)
    d.is_cpu = (type & CL_DEVICE_TYPE_CPU) != 0;
  cl_uint units = 0;
  if (clGetDeviceInfo(device, CL_DEVICE_MAX_COMPUTE_UNITS, sizeof(units), &units, nullptr) ==
          CL_SUCCESS &&
      units > 0)
    d.compute_units = units;
  return d;
}

}  // namespace

OpenClDiscovery discover_opencl_devices() {
  OpenClDiscovery found;
  cl_uint platform_count = 0;
  cl_int err = clGetPlatformIDs(0, nullptr, &platform_count);
  if (err == -1001 || (err == CL_SUCCESS && platform_count == 0)) {
    found.problems =
        "no OpenCL platform: no installable client driver (ICD) is registered in "
        "/etc/OpenCL/vendors or the one there cannot be loaded";
    return found;
  }
  if (err != CL_SUCCESS) {
    found.problems = "OpenCL is unusable: " + cl_failure("clGetPlatformIDs", err);
    return found;
  }
  std::vector<cl_platform_id> platforms(platform_count);
  err = clGetPlatformIDs(platform_count, platforms.data(), nullptr);
  if (err != CL_SUCCESS) {
    found.problems = "OpenCL is unusable: " + cl_failure("clGetPlatformIDs", err);
    return found;
  }
  for (cl_uint p = 0; p < platform_count; ++p) {
    const std::string platform_name = platform_info_string(platforms[p], CL_PLATFORM_NAME);
    cl_uint device_count = 0;
    err = clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, 0, nullptr, &device_count);
    if (err == CL_DEVICE_NOT_FOUND || (err == CL_SUCCESS && device_count == 0)) {
      append_problem(found.problems, "platform '" + platform_name + "' has no devices");
      continue;
    }
    std::vector<cl_device_id> devices(device_count);
    if (err == CL_SUCCESS)
      err = clGetDeviceIDs(platforms[p], CL_DEVICE_TYPE_ALL, device_count, devices.data(), nullptr);
    if (err != CL_SUCCESS) {
      append_problem(found.problems,
                     "platform '" + platform_name + "': " + cl_failure("clGetDeviceIDs", err));
      continue;
    }
    for (cl_uint d = 0; d < device_count; ++d)
      found.devices.push_back(describe(platforms[p], devices[d], p, d));
  }
  return found;
}

}  // namespace ih::kernels::opencl
