// The OpenCL 1.2 API as every OpenCL source here uses it, with error names for messages.
#pragma once

#ifndef CL_TARGET_OPENCL_VERSION
#define CL_TARGET_OPENCL_VERSION 120
#endif
#include <CL/cl.h>

#include <string>

namespace ih::kernels::opencl {

// "CL_OUT_OF_RESOURCES (-5)" and the like.
std::string cl_error_name(cl_int code);

// "<what> failed: CL_... (-n)".
std::string cl_failure(const char* what, cl_int code);

std::string device_info_string(cl_device_id device, cl_device_info what);
std::string platform_info_string(cl_platform_id platform, cl_platform_info what);

}  // namespace ih::kernels::opencl
