// What a GPU API (CUDA, OpenCL) provides to the shared scan loop: two launch slots, each with its
// own stream or queue and candidate buffer, so one launch runs while the host reads the other.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gpu/sha256d_mining_core.h"

namespace ih::kernels::gpu {

inline constexpr int kLaunchSlots = 2;

struct LaunchResult {
  bool ok = false;
  std::string error;        // when !ok: what failed, with the API's error name
  std::uint32_t found = 0;  // candidates the kernel counted; more than capacity means overflow
  double device_ms = 0;     // kernel time measured on the device
};

class LaunchBackend {
 public:
  virtual ~LaunchBackend() = default;
  // Empty when the device opened; else why it did not (then nothing else may be called).
  virtual std::string open_error() const = 0;
  // One line for logs and benchmarks: device, launch shape, occupancy or work-group size.
  virtual std::string describe() const = 0;
  // Launch sizes are multiples of this (threads per group x nonces per thread).
  virtual std::uint32_t granularity() const = 0;
  // A first launch size small enough to be quick on any device of this kind.
  virtual std::uint32_t initial_launch() const = 0;
  // Asynchronously: clear the slot's counter, hash [first, first + count), copy results back.
  // Returns an empty string or the error.
  virtual std::string enqueue(int slot, const IhMiningJob& job, std::uint32_t first,
                              std::uint32_t count) = 0;
  // Blocks until the slot's launch is done; `nonces` receives min(found, capacity) nonces.
  virtual LaunchResult wait(int slot, std::vector<std::uint32_t>& nonces) = 0;
  virtual std::uint32_t capacity(int slot) const = 0;
  // Only for a slot not in flight. Returns an empty string or the error.
  virtual std::string grow_capacity(int slot, std::uint32_t at_least) = 0;
};

}  // namespace ih::kernels::gpu
