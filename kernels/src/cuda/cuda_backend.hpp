// The CUDA side of a GPU scanner: per launch slot a stream, timing events and a candidate buffer
// (device + pinned host), with the static CUDA runtime.
#pragma once

#include <cuda_runtime_api.h>

#include <array>
#include <string>
#include <vector>

#include "gpu/launch_backend.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace ih::kernels::cuda {

class CudaBackend final : public gpu::LaunchBackend {
 public:
  CudaBackend(int device, const GpuScanOptions& options);
  ~CudaBackend() override;
  CudaBackend(const CudaBackend&) = delete;
  CudaBackend& operator=(const CudaBackend&) = delete;

  std::string open_error() const override { return open_error_; }
  std::string describe() const override { return description_; }
  std::uint32_t granularity() const override;
  std::uint32_t initial_launch() const override;
  std::string enqueue(int slot, const IhMiningJob& job, std::uint32_t first,
                      std::uint32_t count) override;
  gpu::LaunchResult wait(int slot, std::vector<std::uint32_t>& nonces) override;
  std::uint32_t capacity(int slot) const override { return slots_[slot].capacity; }
  std::string grow_capacity(int slot, std::uint32_t at_least) override;

 private:
  struct Slot {
    cudaStream_t stream = nullptr;
    cudaEvent_t kernel_start = nullptr;
    cudaEvent_t kernel_stop = nullptr;
    cudaEvent_t copied = nullptr;  // blocking-sync event: the host sleeps, not spins, on it
    std::uint32_t* device_buffer = nullptr;
    std::uint32_t* host_buffer = nullptr;  // pinned, so the copy back is asynchronous
    std::uint32_t capacity = 0;
  };
  std::string open(const GpuScanOptions& options);
  std::string allocate(Slot& slot, std::uint32_t capacity);
  void release_buffers(Slot& slot);
  std::string failure(const char* what, cudaError_t err) const;

  int device_;
  std::string open_error_;
  std::string description_;
  std::array<Slot, gpu::kLaunchSlots> slots_{};
  std::uint32_t nonces_per_thread_ = 1;
  std::uint32_t multiprocessors_ = 1;
};

}  // namespace ih::kernels::cuda
