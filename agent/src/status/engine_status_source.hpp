// The engine as the status endpoint sees it: snapshots copied from the ledger, meter,
// dispatcher, pool tracker and hwdetect, plus a sampler thread that keeps the last hour of
// hashrate (the dashboard's chart) and the GPUs' NVML health (slow to read, so not per request).
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "engine/engine.hpp"
#include "ih/hwdetect/gpu_health.hpp"
#include "status/status_source.hpp"

namespace ih::agent::status {

struct EngineStatusOptions {
  std::string worker_id;  // the pool user, shown as worker_id
  std::chrono::milliseconds sample_every{5000};
  std::size_t history_points = 720;  // 1 hour at 5 s
};

class EngineStatusSource final : public StatusSource {
 public:
  EngineStatusSource(Engine& engine, EngineStatusOptions options);
  ~EngineStatusSource() override;
  EngineStatusSource(const EngineStatusSource&) = delete;
  EngineStatusSource& operator=(const EngineStatusSource&) = delete;

  StatusSnapshot snapshot() const override;
  std::vector<HashrateSample> history() const override;
  std::string instance_id() const override { return id_; }
  void set_paused(bool paused) override;

 private:
  void sample();
  void run_sampler();

  Engine& engine_;
  EngineStatusOptions options_;
  std::string id_;
  hwdetect::CpuInfo cpu_;
  unsigned cores_ = 0;
  std::unique_ptr<hwdetect::GpuHealthMonitor> nvml_;  // only when a CUDA device mines
  std::map<std::size_t, std::string> cuda_uuid_;      // device index -> NVML UUID

  mutable std::mutex mutex_;
  std::deque<HashrateSample> history_;
  std::map<std::size_t, hwdetect::GpuHealth> health_;
  mutable double highest_10s_ = 0;

  std::mutex stop_mutex_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread sampler_;
};

}  // namespace ih::agent::status
