// Which GPU scanners `mine` drives: --cuda-devices / --opencl-devices pick by index, otherwise
// every runnable GPU is used. OpenCL CPU devices (PoCL) only when listed: native CPU scanners
// are faster on the same cores.
#pragma once

#include <string>
#include <vector>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/result.hpp"

namespace ih::agent {

struct GpuSelection {
  std::vector<kernels::ScannerEntry> devices;  // all runnable
  std::vector<std::string> unavailable;        // "cuda: <reason>" lines for the log
};

// cuda: indices N of "cuda:N"; opencl: positions among the OpenCL devices in `devices` order.
// An index that does not exist or cannot run is an error naming the field and the reason.
Result<GpuSelection> select_gpu_devices(const std::vector<int>& cuda,
                                        const std::vector<int>& opencl, bool no_gpu);

}  // namespace ih::agent
