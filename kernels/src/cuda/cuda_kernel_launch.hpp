// The one call from host C++ into the CUDA kernel (compiled by nvcc in sha256d_scan_kernel.cu).
#pragma once

#include <cuda_runtime_api.h>

#include <cstdint>

#include "gpu/sha256d_mining_core.h"

namespace ih::kernels::cuda {

// Threads per block; the kernel's launch bounds are compiled for exactly this.
inline constexpr std::uint32_t kThreadsPerBlock = 256;

// Queues the scan of [first_nonce, first_nonce + count) on `stream`. buffer[0] counts candidates,
// buffer[1 .. capacity] receives the first `capacity` of them. Returns the launch error, if any.
cudaError_t launch_sha256d_scan(cudaStream_t stream, const IhMiningJob& job,
                                std::uint32_t first_nonce, std::uint32_t count,
                                std::uint32_t nonces_per_thread, std::uint32_t* buffer,
                                std::uint32_t capacity);

// Resident blocks per multiprocessor and registers per thread of the compiled kernel.
cudaError_t sha256d_scan_occupancy(int& blocks_per_sm, int& registers);

}  // namespace ih::kernels::cuda
