// The scan loop shared by the CUDA and OpenCL scanners: splits a nonce range into launches, keeps
// two in flight, tunes the launch size to the target time, re-runs a launch whose candidate
// buffer overflowed, and re-checks every candidate on the CPU.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "gpu/launch_backend.hpp"
#include "ih/kernels/gpu_scanner.hpp"

namespace ih::kernels::gpu {

class PipelinedScanner final : public GpuScanner {
 public:
  PipelinedScanner(std::string name, std::unique_ptr<LaunchBackend> backend,
                   double launch_target_ms);

  std::string_view name() const override { return name_; }
  unsigned lanes() const override { return granularity_; }
  std::uint64_t scan(const Work& work, std::uint32_t first_nonce, std::uint32_t count,
                     Candidates& out) override;
  void interrupt() override { interrupt_.store(true); }
  std::string error() const override;
  GpuScanStats stats() const override;
  std::string details() const override { return details_; }
  std::uint32_t preferred_batch() const override;

 private:
  struct Launch {
    std::uint32_t offset = 0;  // from first_nonce
    std::uint32_t count = 0;
  };
  // Waits for one launch and folds its candidates into `out`; false when the device failed.
  bool finish_launch(int slot, const Launch& launch, const Work& work, const IhMiningJob& job,
                     std::uint32_t first_nonce, Candidates& out);
  void tune(std::uint32_t launched, double device_ms);
  void fail(const std::string& message);

  std::string name_;
  std::unique_ptr<LaunchBackend> backend_;
  double target_ms_;
  std::uint32_t granularity_ = 1;
  std::uint32_t max_launch_ = 1;
  std::atomic<bool> interrupt_{false};
  mutable std::mutex mutex_;  // guards what other threads read: stats_, error_
  GpuScanStats stats_;
  std::string error_;
  std::string details_;
  std::vector<std::uint32_t> device_nonces_;
};

}  // namespace ih::kernels::gpu
