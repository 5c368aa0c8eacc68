#include "engine/cpu_device.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "engine/work_slice.hpp"

namespace ih::agent {

namespace {

constexpr std::uint32_t kMinChunk = 256;
constexpr std::uint32_t kMaxChunk = 1u << 24;
constexpr double kChunkSeconds = 0.005;

}  // namespace

CpuDevice::CpuDevice(DeviceSlot slot, std::unique_ptr<kernels::Scanner> scanner,
                     Dispatcher& dispatcher, ShareGate& gate, Meter& meter)
    : slot_(slot),
      scanner_(std::move(scanner)),
      gpu_(dynamic_cast<kernels::GpuScanner*>(scanner_.get())),
      dispatcher_(dispatcher),
      gate_(gate),
      meter_(meter) {}

CpuDevice::~CpuDevice() {
  stop();
}

void CpuDevice::start() {
  if (!thread_.joinable()) thread_ = std::thread([this] { run(); });
}

void CpuDevice::stop() {
  stop_ = true;
  dispatcher_.wake();
  if (thread_.joinable()) thread_.join();
}

std::string CpuDevice::name() const {
  if (!slot_.label.empty()) return slot_.label;
  return "cpu" + std::to_string(slot_.index) + " (" + std::string(scanner_->name()) + ")";
}

DeviceDescription CpuDevice::describe() const {
  DeviceDescription d;
  d.name = name();
  d.scanner = std::string(scanner_->name());
  d.kind = gpu_ == nullptr ? "cpu" : slot_.label.rfind("cuda", 0) == 0 ? "cuda" : "opencl";
  d.failed = failed_.load();
  d.paused = paused_.load();
  if (gpu_ != nullptr) d.hardware_errors_reported = gpu_->stats().hardware_errors;
  return d;
}

void CpuDevice::run() {
  std::shared_ptr<const DispatchedJob> job;
  WorkUnit unit;
  std::uint64_t k = 0;           // which of this device's units
  std::uint64_t next_nonce = 0;  // within the unit
  std::uint32_t chunk = slot_.fixed_chunk > 0 ? slot_.fixed_chunk : 4096;
  std::uint64_t gpu_hardware_errors = 0;
  kernels::Candidates candidates;
  if (slot_.on_thread_start)
    if (auto error = slot_.on_thread_start())
      spdlog::warn("{}: {} (mining on unpinned)", name(), *error);
  auto begin_unit = [&] {
    unit = make_work_unit(job->job, unit_index(slot_.index, slot_.count, k));
    next_nonce = 0;
    ++units_started_;
  };
  while (!stop_) {
    if (dispatcher_.paused()) {  // a chunk is ~5 ms (a GPU batch < 100 ms): paused within that
      paused_ = true;
      dispatcher_.wait_resumed(stop_);
      paused_ = false;
      continue;
    }
    if (!job || dispatcher_.generation() != job->generation) {
      auto next = dispatcher_.current();
      if (!next || (job && next->generation == job->generation))
        next = dispatcher_.wait_newer(job ? job->generation : 0, stop_);
      if (!next) break;  // stopped
      const bool resent = job && same_headers(job->job, next->job);
      job = std::move(next);
      if (resent) {  // only the target changed: carry on where we are
        unit.work.target = job->job.share_target;
      } else {
        k = 0;
        begin_unit();
      }
      dispatcher_.picked_up(slot_.index, job->generation);
    }
    const auto count = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(chunk, slot_.nonces_per_unit - next_nonce));
    candidates.nonces.clear();
    const auto t0 = std::chrono::steady_clock::now();
    const std::uint64_t done =
        scanner_->scan(unit.work, static_cast<std::uint32_t>(next_nonce), count, candidates);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    meter_.add(slot_.index, done);
    for (std::uint32_t nonce : candidates.nonces)
      gate_.process({slot_.index, job, unit.extranonce2, unit.version_bits, nonce});
    if (gpu_ != nullptr) {
      const std::uint64_t errors = gpu_->stats().hardware_errors;
      gate_.device_hardware_errors(slot_.index, *job, errors - gpu_hardware_errors);
      gpu_hardware_errors = errors;
      if (const std::string failure = gpu_->error(); !failure.empty()) {
        spdlog::error("{}: device failed, it stops mining: {}", name(), failure);
        failed_ = true;
        break;
      }
    }
    next_nonce += count;
    if (next_nonce >= slot_.nonces_per_unit) {  // space exhausted: next unit, no pause
      ++k;
      begin_unit();
      spdlog::trace("{}: next work unit {} of job {}", name(), k, job->job.fields.job_id);
    }
    // Keep each chunk near kChunkSeconds so job switches stay well under 50 ms.
    if (slot_.fixed_chunk == 0 && seconds > 0) {
      const double scaled = static_cast<double>(chunk) * kChunkSeconds / seconds;
      chunk = static_cast<std::uint32_t>(
          std::clamp(scaled, static_cast<double>(kMinChunk), static_cast<double>(kMaxChunk)));
    }
  }
}

}  // namespace ih::agent
