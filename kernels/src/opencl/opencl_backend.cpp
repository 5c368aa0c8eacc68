#include "opencl/opencl_backend.hpp"

#include <algorithm>

#include "opencl/opencl_program.hpp"
#include "opencl/opencl_program_source.hpp"

namespace ih::kernels::opencl {

namespace {

constexpr std::uint32_t kInitialCapacity = 1024;
constexpr std::size_t kAutoWorkGroupCap = 256;

}  // namespace

OpenClBackend::OpenClBackend(const OpenClDevice& device, const GpuScanOptions& options)
    : device_(device) {
  open_error_ = open(options);
  if (!open_error_.empty()) open_error_ = device_.id() + " (" + device_.name + "): " + open_error_;
}

std::string OpenClBackend::open(const GpuScanOptions& options) {
  if (options.nonces_per_thread == 0 || options.nonces_per_thread > 4096)
    return "nonces per thread must be 1..4096, not " + std::to_string(options.nonces_per_thread);
  nonces_per_item_ = options.nonces_per_thread;
  cl_int err = CL_SUCCESS;
  const cl_context_properties properties[] = {
      CL_CONTEXT_PLATFORM, reinterpret_cast<cl_context_properties>(device_.platform), 0};
  context_ = clCreateContext(properties, 1, &device_.device, nullptr, nullptr, &err);
  if (err != CL_SUCCESS) return cl_failure("clCreateContext", err);
  const std::string cache_dir =
      options.opencl_cache_dir.empty() ? default_program_cache_dir() : options.opencl_cache_dir;
  BuiltProgram built = build_program(context_, device_, kSha256dProgramSource, "", cache_dir);
  if (!built.program) return built.error;
  program_ = built.program;
  program_from_cache_ = built.from_cache;
  kernel_ = clCreateKernel(program_, "ih_sha256d_scan", &err);
  if (err != CL_SUCCESS) return cl_failure("clCreateKernel", err);

  std::size_t kernel_max = 0;
  std::size_t multiple = 1;
  err = clGetKernelWorkGroupInfo(kernel_, device_.device, CL_KERNEL_WORK_GROUP_SIZE,
                                 sizeof(kernel_max), &kernel_max, nullptr);
  if (err != CL_SUCCESS) return cl_failure("clGetKernelWorkGroupInfo", err);
  if (clGetKernelWorkGroupInfo(kernel_, device_.device,
                               CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE, sizeof(multiple),
                               &multiple, nullptr) != CL_SUCCESS ||
      multiple == 0)
    multiple = 1;
  if (options.work_group_size != 0) {
    if (options.work_group_size > kernel_max)
      return "work-group size " + std::to_string(options.work_group_size) +
             " exceeds this kernel's maximum on the device (" + std::to_string(kernel_max) + ")";
    local_size_ = options.work_group_size;
  } else {
    // The largest multiple of the device's preferred width that the kernel allows, capped
    // where more threads per group stop helping.
    const std::size_t cap = std::min(kernel_max, kAutoWorkGroupCap);
    local_size_ = std::max<std::size_t>(cap / multiple * multiple, std::min(cap, multiple));
    local_size_ = std::max<std::size_t>(local_size_, 1);
  }

  for (Slot& slot : slots_) {
    slot.queue = clCreateCommandQueue(context_, device_.device, CL_QUEUE_PROFILING_ENABLE, &err);
    if (err != CL_SUCCESS) return cl_failure("clCreateCommandQueue", err);
    const std::string alloc_error = allocate(slot, kInitialCapacity);
    if (!alloc_error.empty()) return alloc_error;
  }
  return {};
}

OpenClBackend::~OpenClBackend() {
  for (Slot& slot : slots_) {
    if (slot.queue) clFinish(slot.queue);
    if (slot.kernel_done) clReleaseEvent(slot.kernel_done);
    if (slot.buffer) clReleaseMemObject(slot.buffer);
    if (slot.queue) clReleaseCommandQueue(slot.queue);
  }
  if (kernel_) clReleaseKernel(kernel_);
  if (program_) clReleaseProgram(program_);
  if (context_) clReleaseContext(context_);
}

std::string OpenClBackend::allocate(Slot& slot, std::uint32_t capacity) {
  if (slot.buffer) clReleaseMemObject(slot.buffer);
  slot.buffer = nullptr;
  cl_int err = CL_SUCCESS;
  const std::size_t bytes = (std::size_t{capacity} + 1) * sizeof(std::uint32_t);
  slot.buffer = clCreateBuffer(context_, CL_MEM_READ_WRITE, bytes, nullptr, &err);
  if (err != CL_SUCCESS) return cl_failure("clCreateBuffer", err);
  slot.capacity = capacity;
  slot.host.assign(std::size_t{capacity} + 1, 0);
  return {};
}

std::string OpenClBackend::describe() const {
  return device_.id() + " " + device_.name + " (" + device_.platform_name + ", " +
         std::to_string(device_.compute_units) + " compute units), work-group " +
         std::to_string(local_size_) + ", " + std::to_string(nonces_per_item_) +
         " nonces/item, program " + (program_from_cache_ ? "from the binary cache" : "compiled");
}

std::uint32_t OpenClBackend::granularity() const {
  return static_cast<std::uint32_t>(local_size_) * nonces_per_item_;
}

std::uint32_t OpenClBackend::initial_launch() const {
  // One group per compute unit: quick on a CPU device, a first measurement on a GPU.
  return granularity() * device_.compute_units;
}

std::string OpenClBackend::enqueue(int slot_index, const IhMiningJob& job, std::uint32_t first,
                                   std::uint32_t count) {
  Slot& slot = slots_[slot_index];
  if (slot.kernel_done) {
    clReleaseEvent(slot.kernel_done);
    slot.kernel_done = nullptr;
  }
  const cl_uint zero = 0;
  cl_int err = clEnqueueFillBuffer(slot.queue, slot.buffer, &zero, sizeof(zero), 0, sizeof(zero), 0,
                                   nullptr, nullptr);
  if (err != CL_SUCCESS) return cl_failure("clEnqueueFillBuffer", err);
  const cl_uint capacity = slot.capacity;
  // Arguments are captured at enqueue time, so one kernel object serves both slots.
  err = clSetKernelArg(kernel_, 0, sizeof(job), &job);
  if (err == CL_SUCCESS) err = clSetKernelArg(kernel_, 1, sizeof(first), &first);
  if (err == CL_SUCCESS) err = clSetKernelArg(kernel_, 2, sizeof(count), &count);
  if (err == CL_SUCCESS)
    err = clSetKernelArg(kernel_, 3, sizeof(nonces_per_item_), &nonces_per_item_);
  if (err == CL_SUCCESS) err = clSetKernelArg(kernel_, 4, sizeof(slot.buffer), &slot.buffer);
  if (err == CL_SUCCESS) err = clSetKernelArg(kernel_, 5, sizeof(capacity), &capacity);
  if (err != CL_SUCCESS) return cl_failure("clSetKernelArg", err);
  const std::size_t span = granularity();
  const std::size_t groups = (std::size_t{count} + span - 1) / span;
  const std::size_t global = groups * local_size_;
  err = clEnqueueNDRangeKernel(slot.queue, kernel_, 1, nullptr, &global, &local_size_, 0, nullptr,
                               &slot.kernel_done);
  if (err != CL_SUCCESS) return cl_failure("clEnqueueNDRangeKernel", err);
  err = clEnqueueReadBuffer(slot.queue, slot.buffer, CL_FALSE, 0,
                            slot.host.size() * sizeof(std::uint32_t), slot.host.data(), 0, nullptr,
                            nullptr);
  if (err != CL_SUCCESS) return cl_failure("clEnqueueReadBuffer", err);
  err = clFlush(slot.queue);
  if (err != CL_SUCCESS) return cl_failure("clFlush", err);
  return {};
}

gpu::LaunchResult OpenClBackend::wait(int slot_index, std::vector<std::uint32_t>& nonces) {
  Slot& slot = slots_[slot_index];
  gpu::LaunchResult result;
  const cl_int err = clFinish(slot.queue);
  if (err != CL_SUCCESS) {
    result.error = device_.id() + ": " + cl_failure("clFinish", err);
    return result;
  }
  cl_int status = CL_COMPLETE;
  if (slot.kernel_done &&
      clGetEventInfo(slot.kernel_done, CL_EVENT_COMMAND_EXECUTION_STATUS, sizeof(status), &status,
                     nullptr) == CL_SUCCESS &&
      status < 0) {
    result.error = device_.id() + ": kernel failed: " + cl_error_name(status);
    return result;
  }
  cl_ulong start = 0;
  cl_ulong end = 0;
  if (slot.kernel_done &&
      clGetEventProfilingInfo(slot.kernel_done, CL_PROFILING_COMMAND_START, sizeof(start), &start,
                              nullptr) == CL_SUCCESS &&
      clGetEventProfilingInfo(slot.kernel_done, CL_PROFILING_COMMAND_END, sizeof(end), &end,
                              nullptr) == CL_SUCCESS &&
      end > start)
    result.device_ms = static_cast<double>(end - start) / 1e6;
  result.found = slot.host[0];
  const std::uint32_t stored = std::min(result.found, slot.capacity);
  nonces.insert(nonces.end(), slot.host.begin() + 1, slot.host.begin() + 1 + stored);
  result.ok = true;
  return result;
}

std::string OpenClBackend::grow_capacity(int slot_index, std::uint32_t at_least) {
  std::uint32_t capacity = slots_[slot_index].capacity;
  while (capacity < at_least && capacity < (1u << 30)) capacity *= 2;
  return allocate(slots_[slot_index], std::max(capacity, at_least));
}

}  // namespace ih::kernels::opencl
