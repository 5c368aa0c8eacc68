#include "ih/hwdetect/opencl_devices.hpp"

#if defined(IH_HWDETECT_OPENCL)
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#endif

#include <string>
#include <type_traits>
#include <vector>

namespace ih::hwdetect {

std::size_t OpenClReport::device_count() const {
  std::size_t n = 0;
  for (const OpenClPlatform& p : platforms) n += p.devices.size();
  return n;
}

#if defined(IH_HWDETECT_OPENCL)

namespace {

constexpr cl_int kPlatformNotFoundKhr = -1001;  // the ICD loader found no platform

template <typename Handle, typename Info>
std::string info_string(cl_int (*get)(Handle, Info, size_t, void*, size_t*), Handle handle,
                        std::type_identity_t<Info> what) {
  size_t size = 0;
  if (get(handle, what, 0, nullptr, &size) != CL_SUCCESS || size == 0) return {};
  std::string text(size, '\0');
  if (get(handle, what, size, text.data(), nullptr) != CL_SUCCESS) return {};
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

template <typename T>
std::optional<T> device_value(cl_device_id device, cl_device_info what) {
  T value{};
  if (clGetDeviceInfo(device, what, sizeof(value), &value, nullptr) != CL_SUCCESS)
    return std::nullopt;
  return value;
}

std::string device_type(cl_device_type type) {
  if ((type & CL_DEVICE_TYPE_GPU) != 0) return "gpu";
  if ((type & CL_DEVICE_TYPE_CPU) != 0) return "cpu";
  if ((type & CL_DEVICE_TYPE_ACCELERATOR) != 0) return "accelerator";
  if ((type & CL_DEVICE_TYPE_CUSTOM) != 0) return "custom";
  return "other";
}

OpenClDevice read_device(cl_device_id id) {
  OpenClDevice d;
  d.name = info_string(clGetDeviceInfo, id, CL_DEVICE_NAME);
  d.vendor = info_string(clGetDeviceInfo, id, CL_DEVICE_VENDOR);
  d.type = device_type(device_value<cl_device_type>(id, CL_DEVICE_TYPE).value_or(0));
  d.compute_units = device_value<cl_uint>(id, CL_DEVICE_MAX_COMPUTE_UNITS).value_or(0);
  d.global_memory_bytes = device_value<cl_ulong>(id, CL_DEVICE_GLOBAL_MEM_SIZE).value_or(0);
  if (const auto mhz = device_value<cl_uint>(id, CL_DEVICE_MAX_CLOCK_FREQUENCY); mhz && *mhz > 0)
    d.max_clock_mhz = *mhz;
  d.opencl_version = info_string(clGetDeviceInfo, id, CL_DEVICE_VERSION);
  d.driver_version = info_string(clGetDeviceInfo, id, CL_DRIVER_VERSION);
  return d;
}

OpenClPlatform read_platform(cl_platform_id id) {
  OpenClPlatform p;
  p.name = info_string(clGetPlatformInfo, id, CL_PLATFORM_NAME);
  p.vendor = info_string(clGetPlatformInfo, id, CL_PLATFORM_VENDOR);
  p.version = info_string(clGetPlatformInfo, id, CL_PLATFORM_VERSION);
  cl_uint count = 0;
  const cl_int rc = clGetDeviceIDs(id, CL_DEVICE_TYPE_ALL, 0, nullptr, &count);
  if (rc == CL_DEVICE_NOT_FOUND) return p;
  if (rc != CL_SUCCESS) {
    p.error = "listing devices failed (OpenCL error " + std::to_string(rc) + ")";
    return p;
  }
  std::vector<cl_device_id> ids(count);
  if (clGetDeviceIDs(id, CL_DEVICE_TYPE_ALL, count, ids.data(), nullptr) != CL_SUCCESS) return p;
  for (cl_device_id device : ids) p.devices.push_back(read_device(device));
  return p;
}

}  // namespace

OpenClReport detect_opencl() {
  OpenClReport report;
  report.built = true;
  cl_uint count = 0;
  const cl_int rc = clGetPlatformIDs(0, nullptr, &count);
  if (rc == kPlatformNotFoundKhr || (rc == CL_SUCCESS && count == 0)) {
    report.reason = "no OpenCL platform installed (no ICD in /etc/OpenCL/vendors)";
    return report;
  }
  if (rc != CL_SUCCESS) {
    report.reason = "the OpenCL ICD loader failed (OpenCL error " + std::to_string(rc) + ")";
    return report;
  }
  std::vector<cl_platform_id> ids(count);
  if (clGetPlatformIDs(count, ids.data(), nullptr) != CL_SUCCESS) {
    report.reason = "the OpenCL ICD loader failed to list its platforms";
    return report;
  }
  for (cl_platform_id id : ids) report.platforms.push_back(read_platform(id));
  if (report.device_count() == 0) report.reason = "OpenCL platforms are installed but no device";
  return report;
}

#else

OpenClReport detect_opencl() {
  OpenClReport report;
  report.reason = "this build has no OpenCL support (built with IH_OPENCL=OFF or without OpenCL)";
  return report;
}

#endif

}  // namespace ih::hwdetect
