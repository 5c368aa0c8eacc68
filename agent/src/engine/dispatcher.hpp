// Holds the job every device should hash and measures how fast a new one reaches them all.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "ih/stratum/client/pool_client.hpp"

namespace ih::agent {

struct DispatchedJob {
  stratum::Job job;
  std::uint64_t generation = 0;  // bumps with every job handed out
  std::chrono::steady_clock::time_point received;
};

struct JobSwitchStats {
  std::uint64_t generation = 0;  // the job these figures are about
  std::size_t devices_reached = 0;
  std::chrono::microseconds slowest{0};  // receive -> last device picked it up
  std::chrono::microseconds worst_ever{0};
};

class Dispatcher {
 public:
  explicit Dispatcher(std::size_t devices);

  void set_job(const stratum::Job& job);
  std::shared_ptr<const DispatchedJob> current() const;
  std::uint64_t generation() const;
  // Highest Job::epoch seen: shares of older epochs are stale.
  std::uint64_t epoch() const;

  // Blocks until a job newer than `seen` exists; null once stop() is called or `cancel` is set
  // (then wake() must be called).
  std::shared_ptr<const DispatchedJob> wait_newer(std::uint64_t seen,
                                                  const std::atomic<bool>& cancel);
  void wake();
  void stop();

  // Control (POST /json_rpc pause/resume): devices check paused() between chunks and sleep in
  // wait_resumed() until resume(), stop() or `cancel`; then they carry on with the current job.
  void pause();
  void resume();
  bool paused() const { return paused_.load(std::memory_order_relaxed); }
  void wait_resumed(const std::atomic<bool>& cancel);

  // A device reports it now hashes `generation`.
  void picked_up(std::size_t device, std::uint64_t generation);
  JobSwitchStats switch_stats() const;

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::shared_ptr<const DispatchedJob> current_;
  std::uint64_t generation_ = 0;
  std::uint64_t epoch_ = 0;
  bool stopped_ = false;
  std::atomic<bool> paused_{false};
  std::vector<std::uint64_t> device_generation_;
  JobSwitchStats stats_;
};

}  // namespace ih::agent
