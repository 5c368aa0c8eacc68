// GPU scanners (CUDA, OpenCL): one catalog entry per device, each a real device scanner that owns
// its queues. Device math: kernels/src/gpu/sha256d_mining_core.h, shared by CUDA and OpenCL.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ih/kernels/scanner.hpp"
#include "ih/kernels/scanner_catalog.hpp"

namespace ih::kernels {

struct GpuScanOptions {
  // OpenCL CPU devices (PoCL) are listed but only runnable when asked for: native CPU scanners
  // are faster on the same cores.
  bool include_cpu_devices = false;
  // NVIDIA's OpenCL platform shows the same GPUs CUDA drives; they are left to the faster CUDA
  // scanner (not runnable under OpenCL) unless this is set or CUDA has no runnable device.
  bool opencl_on_cuda_gpus = false;
  // Launch size is tuned so one launch takes about this long (1..10000). Two launches are in
  // flight, so a job switch waits at most about twice this: 30 ms keeps it near 60 ms, while
  // the host's turn-around between launches (tens of microseconds) stays hidden.
  double launch_target_ms = 30;
  unsigned nonces_per_thread = 16;  // each GPU thread hashes this many nonces per launch
  unsigned work_group_size = 0;     // OpenCL; 0 = chosen per device
  // OpenCL program binaries; empty = $XDG_CACHE_HOME or ~/.cache, + /infinite-hashes/opencl.
  std::string opencl_cache_dir;
};

struct GpuScanStats {
  std::uint64_t launches = 0;
  std::uint32_t nonces_per_launch = 0;  // current tuned size
  double last_launch_ms = 0;            // device time of the last full-size launch
  std::uint64_t hardware_errors = 0;    // device candidates the CPU re-check rejected
  std::uint64_t candidate_overflows = 0;
};

// What make() of a CUDA or OpenCL catalog entry returns. scan() honours the Scanner contract and
// additionally re-checks every device candidate on the CPU: one that fails is dropped and counted
// as a hardware error of this device.
class GpuScanner : public Scanner {
 public:
  // Asks the scan() running on another thread (or the next one) to stop after the launches in
  // flight; it then returns fewer hashes than asked for, always a complete prefix of the range.
  virtual void interrupt() = 0;
  // Non-empty once the device failed (at open or during a scan); scan() then returns early.
  virtual std::string error() const = 0;
  virtual GpuScanStats stats() const = 0;
  // Device and launch shape in one line (threads per group, occupancy, program cache).
  virtual std::string details() const = 0;
  // Nonces per scan() call that keep job switches under ~100 ms at the tuned launch size.
  virtual std::uint32_t preferred_batch() const = 0;
};

// Every GPU device this build can see, CUDA first. A backend with no usable device contributes
// one entry named "cuda" or "opencl" with runnable = false and the reason (no driver, no ICD,
// built without it); the catalog never fails and never throws.
std::vector<ScannerEntry> gpu_scanner_catalog(const GpuScanOptions& options = {});
std::vector<ScannerEntry> cuda_scanner_catalog(const GpuScanOptions& options = {});
std::vector<ScannerEntry> opencl_scanner_catalog(const GpuScanOptions& options = {});

}  // namespace ih::kernels
