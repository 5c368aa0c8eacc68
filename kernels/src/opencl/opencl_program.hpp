// Builds an OpenCL program for one device, through an on-disk cache of program binaries keyed by
// device, driver, source and options, so only the first start pays the compiler.
#pragma once

#include <string>

#include "opencl/opencl_api.hpp"
#include "opencl/opencl_devices.hpp"

namespace ih::kernels::opencl {

struct BuiltProgram {
  cl_program program = nullptr;  // owned by the caller; null on failure
  bool from_cache = false;
  std::string error;  // on failure: what failed, with the compiler's build log
};

// $XDG_CACHE_HOME/infinite-hashes/opencl, else $HOME/.cache/infinite-hashes/opencl, else empty
// (no caching).
std::string default_program_cache_dir();

// Where the binary for this device/source/options lives in `cache_dir`.
std::string program_cache_path(const std::string& cache_dir, const OpenClDevice& device,
                               const std::string& source, const std::string& options);

// Loads the cached binary when it is valid, else compiles `source` and caches the result. An
// unwritable or corrupt cache is never an error: it only costs a compile.
BuiltProgram build_program(cl_context context, const OpenClDevice& device,
                           const std::string& source, const std::string& options,
                           const std::string& cache_dir);

}  // namespace ih::kernels::opencl
