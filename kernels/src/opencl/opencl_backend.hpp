// The OpenCL side of a GPU scanner: one context, one in-order queue and one candidate buffer per
// launch slot, the embedded program built through the binary cache.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

#include "gpu/launch_backend.hpp"
#include "ih/kernels/gpu_scanner.hpp"
#include "opencl/opencl_devices.hpp"

namespace ih::kernels::opencl {

class OpenClBackend final : public gpu::LaunchBackend {
 public:
  OpenClBackend(const OpenClDevice& device, const GpuScanOptions& options);
  ~OpenClBackend() override;
  OpenClBackend(const OpenClBackend&) = delete;
  OpenClBackend& operator=(const OpenClBackend&) = delete;

  std::string open_error() const override { return open_error_; }
  std::string describe() const override;
  std::uint32_t granularity() const override;
  std::uint32_t initial_launch() const override;
  std::string enqueue(int slot, const IhMiningJob& job, std::uint32_t first,
                      std::uint32_t count) override;
  gpu::LaunchResult wait(int slot, std::vector<std::uint32_t>& nonces) override;
  std::uint32_t capacity(int slot) const override { return slots_[slot].capacity; }
  std::string grow_capacity(int slot, std::uint32_t at_least) override;

  std::size_t work_group_size() const { return local_size_; }
  bool program_from_cache() const { return program_from_cache_; }

 private:
  struct Slot {
    cl_command_queue queue = nullptr;
    cl_mem buffer = nullptr;  // [0] candidate count, [1..capacity] nonces
    std::uint32_t capacity = 0;
    std::vector<std::uint32_t> host;  // read-back target, stable while a launch is in flight
    cl_event kernel_done = nullptr;
  };
  std::string open(const GpuScanOptions& options);
  std::string allocate(Slot& slot, std::uint32_t capacity);

  OpenClDevice device_;
  std::string open_error_;
  cl_context context_ = nullptr;
  cl_program program_ = nullptr;
  cl_kernel kernel_ = nullptr;
  std::array<Slot, gpu::kLaunchSlots> slots_{};
  std::size_t local_size_ = 1;
  std::uint32_t nonces_per_item_ = 1;
  bool program_from_cache_ = false;
};

}  // namespace ih::kernels::opencl
