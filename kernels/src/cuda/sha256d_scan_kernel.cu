// CUDA SHA-256d scanner kernel. The math is gpu/sha256d_mining_core.h, shared with OpenCL and
// the host tests; this loop mirrors opencl/sha256d_scan.cl line for line.
#include "cuda/cuda_kernel_launch.hpp"

namespace ih::kernels::cuda {

namespace {

// The job arrives as a kernel argument: it lives in the constant bank, read by every thread.
__global__ void __launch_bounds__(kThreadsPerBlock)
    sha256d_scan_kernel(const IhMiningJob job, const std::uint32_t first_nonce,
                        const std::uint32_t count, const std::uint32_t nonces_per_thread,
                        std::uint32_t* buffer, const std::uint32_t capacity) {
  const std::uint32_t group_span = blockDim.x * nonces_per_thread;
  const std::uint32_t base = blockIdx.x * group_span + threadIdx.x;
#pragma unroll 1
  for (std::uint32_t i = 0; i < nonces_per_thread; ++i) {
    const std::uint32_t offset = base + i * blockDim.x;
    if (offset >= count) return;
    const std::uint32_t nonce = first_nonce + offset;
    if (ih_sha256d_is_candidate(job, nonce)) {
      const std::uint32_t slot = atomicAdd(&buffer[0], 1u);
      if (slot < capacity) buffer[1 + slot] = nonce;
    }
  }
}

}  // namespace

cudaError_t launch_sha256d_scan(cudaStream_t stream, const IhMiningJob& job,
                                std::uint32_t first_nonce, std::uint32_t count,
                                std::uint32_t nonces_per_thread, std::uint32_t* buffer,
                                std::uint32_t capacity) {
  const std::uint64_t span = std::uint64_t{kThreadsPerBlock} * nonces_per_thread;
  const auto blocks = static_cast<unsigned>((std::uint64_t{count} + span - 1) / span);
  sha256d_scan_kernel<<<blocks, kThreadsPerBlock, 0, stream>>>(job, first_nonce, count,
                                                               nonces_per_thread, buffer, capacity);
  return cudaGetLastError();
}

cudaError_t sha256d_scan_occupancy(int& blocks_per_sm, int& registers) {
  cudaFuncAttributes attributes{};
  cudaError_t err = cudaFuncGetAttributes(&attributes, sha256d_scan_kernel);
  if (err != cudaSuccess) return err;
  registers = attributes.numRegs;
  return cudaOccupancyMaxActiveBlocksPerMultiprocessor(&blocks_per_sm, sha256d_scan_kernel,
                                                       kThreadsPerBlock, 0);
}

}  // namespace ih::kernels::cuda
