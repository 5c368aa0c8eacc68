// Lists the OpenCL devices from a short-lived child process, so that the platforms' libraries
// (PoCL maps its whole LLVM compiler, tens of MB) never enter this process when none of their
// devices will be used. The devices come back described but without handles.
#pragma once

#include "opencl/opencl_devices.hpp"

namespace ih::kernels::opencl {

OpenClDiscovery discover_opencl_devices_in_child();

}  // namespace ih::kernels::opencl
