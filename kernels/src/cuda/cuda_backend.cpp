#include "cuda/cuda_backend.hpp"

#include <algorithm>

#include "cuda/cuda_kernel_launch.hpp"

namespace ih::kernels::cuda {

namespace {

constexpr std::uint32_t kInitialCapacity = 1024;

}  // namespace

CudaBackend::CudaBackend(int device, const GpuScanOptions& options) : device_(device) {
  open_error_ = open(options);
}

std::string CudaBackend::failure(const char* what, cudaError_t err) const {
  return "cuda:" + std::to_string(device_) + ": " + what + " failed: " + cudaGetErrorName(err) +
         " (" + cudaGetErrorString(err) + ")";
}

std::string CudaBackend::open(const GpuScanOptions& options) {
  if (options.nonces_per_thread == 0 || options.nonces_per_thread > 4096)
    return "nonces per thread must be 1..4096, not " + std::to_string(options.nonces_per_thread);
  nonces_per_thread_ = options.nonces_per_thread;
  cudaError_t err = cudaSetDevice(device_);
  if (err != cudaSuccess) return failure("cudaSetDevice", err);
  int sms = 0;
  err = cudaDeviceGetAttribute(&sms, cudaDevAttrMultiProcessorCount, device_);
  if (err != cudaSuccess) return failure("cudaDeviceGetAttribute", err);
  multiprocessors_ = static_cast<std::uint32_t>(std::max(sms, 1));
  cudaDeviceProp properties{};
  err = cudaGetDeviceProperties(&properties, device_);
  if (err != cudaSuccess) return failure("cudaGetDeviceProperties", err);
  int blocks_per_sm = 0;
  int registers = 0;
  err = sha256d_scan_occupancy(blocks_per_sm, registers);
  if (err != cudaSuccess) return failure("reading the kernel's occupancy", err);
  const int max_threads = std::max(properties.maxThreadsPerMultiProcessor, 1);
  const int occupancy_pct = 100 * blocks_per_sm * static_cast<int>(kThreadsPerBlock) / max_threads;
  description_ = "cuda:" + std::to_string(device_) + " " + properties.name + " (sm_" +
                 std::to_string(properties.major) + std::to_string(properties.minor) + ", " +
                 std::to_string(sms) + " SMs), " + std::to_string(kThreadsPerBlock) +
                 " threads/block, " + std::to_string(nonces_per_thread_) + " nonces/thread, " +
                 std::to_string(registers) + " registers, " + std::to_string(blocks_per_sm) +
                 " blocks/SM (" + std::to_string(occupancy_pct) + "% occupancy)";
  for (Slot& slot : slots_) {
    err = cudaStreamCreateWithFlags(&slot.stream, cudaStreamNonBlocking);
    if (err == cudaSuccess) err = cudaEventCreate(&slot.kernel_start);
    if (err == cudaSuccess) err = cudaEventCreate(&slot.kernel_stop);
    if (err == cudaSuccess)
      err = cudaEventCreateWithFlags(&slot.copied, cudaEventBlockingSync | cudaEventDisableTiming);
    if (err != cudaSuccess) return failure("creating streams and events", err);
    std::string alloc_error = allocate(slot, kInitialCapacity);
    if (!alloc_error.empty()) return alloc_error;
  }
  return {};
}

CudaBackend::~CudaBackend() {
  if (cudaSetDevice(device_) != cudaSuccess) return;  // no context: nothing was created
  for (Slot& slot : slots_) {
    if (slot.stream) cudaStreamSynchronize(slot.stream);
    release_buffers(slot);
    if (slot.copied) cudaEventDestroy(slot.copied);
    if (slot.kernel_stop) cudaEventDestroy(slot.kernel_stop);
    if (slot.kernel_start) cudaEventDestroy(slot.kernel_start);
    if (slot.stream) cudaStreamDestroy(slot.stream);
  }
}

void CudaBackend::release_buffers(Slot& slot) {
  if (slot.device_buffer) cudaFree(slot.device_buffer);
  if (slot.host_buffer) cudaFreeHost(slot.host_buffer);
  slot.device_buffer = nullptr;
  slot.host_buffer = nullptr;
  slot.capacity = 0;
}

std::string CudaBackend::allocate(Slot& slot, std::uint32_t capacity) {
  release_buffers(slot);
  const std::size_t bytes = (std::size_t{capacity} + 1) * sizeof(std::uint32_t);
  cudaError_t err = cudaMalloc(reinterpret_cast<void**>(&slot.device_buffer), bytes);
  if (err != cudaSuccess) return failure("cudaMalloc", err);
  err = cudaMallocHost(reinterpret_cast<void**>(&slot.host_buffer), bytes);
  if (err != cudaSuccess) return failure("cudaMallocHost", err);
  slot.capacity = capacity;
  return {};
}

std::uint32_t CudaBackend::granularity() const {
  return kThreadsPerBlock * nonces_per_thread_;
}

std::uint32_t CudaBackend::initial_launch() const {
  // Eight blocks per multiprocessor: well under a millisecond, then the tuner scales it up.
  return granularity() * multiprocessors_ * 8;
}

std::string CudaBackend::enqueue(int slot_index, const IhMiningJob& job, std::uint32_t first,
                                 std::uint32_t count) {
  Slot& slot = slots_[slot_index];
  // The calling thread may not be the one that opened the device.
  cudaError_t err = cudaSetDevice(device_);
  if (err != cudaSuccess) return failure("cudaSetDevice", err);
  err = cudaMemsetAsync(slot.device_buffer, 0, sizeof(std::uint32_t), slot.stream);
  if (err != cudaSuccess) return failure("cudaMemsetAsync", err);
  err = cudaEventRecord(slot.kernel_start, slot.stream);
  if (err != cudaSuccess) return failure("cudaEventRecord", err);
  err = launch_sha256d_scan(slot.stream, job, first, count, nonces_per_thread_, slot.device_buffer,
                            slot.capacity);
  if (err != cudaSuccess) return failure("kernel launch", err);
  err = cudaEventRecord(slot.kernel_stop, slot.stream);
  if (err != cudaSuccess) return failure("cudaEventRecord", err);
  err = cudaMemcpyAsync(slot.host_buffer, slot.device_buffer,
                        (std::size_t{slot.capacity} + 1) * sizeof(std::uint32_t),
                        cudaMemcpyDeviceToHost, slot.stream);
  if (err != cudaSuccess) return failure("cudaMemcpyAsync", err);
  err = cudaEventRecord(slot.copied, slot.stream);
  if (err != cudaSuccess) return failure("cudaEventRecord", err);
  return {};
}

gpu::LaunchResult CudaBackend::wait(int slot_index, std::vector<std::uint32_t>& nonces) {
  Slot& slot = slots_[slot_index];
  gpu::LaunchResult result;
  cudaError_t err = cudaEventSynchronize(slot.copied);
  if (err != cudaSuccess) {
    result.error = failure("scan launch", err);
    return result;
  }
  float ms = 0;
  if (cudaEventElapsedTime(&ms, slot.kernel_start, slot.kernel_stop) == cudaSuccess)
    result.device_ms = ms;
  result.found = slot.host_buffer[0];
  const std::uint32_t stored = std::min(result.found, slot.capacity);
  nonces.insert(nonces.end(), slot.host_buffer + 1, slot.host_buffer + 1 + stored);
  result.ok = true;
  return result;
}

std::string CudaBackend::grow_capacity(int slot_index, std::uint32_t at_least) {
  std::uint32_t capacity = std::max(slots_[slot_index].capacity, kInitialCapacity);
  while (capacity < at_least && capacity < (1u << 30)) capacity *= 2;
  return allocate(slots_[slot_index], std::max(capacity, at_least));
}

}  // namespace ih::kernels::cuda
