// The OpenCL program, embedded at build time (see kernels/cmake/embed_opencl_source.cmake).
#pragma once

namespace ih::kernels::opencl {

extern const char* const kSha256dProgramSource;

}  // namespace ih::kernels::opencl
