#include "engine/dispatcher.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace ih::agent {

Dispatcher::Dispatcher(std::size_t devices) : device_generation_(devices, 0) {}

void Dispatcher::set_job(const stratum::Job& job) {
  auto next = std::make_shared<DispatchedJob>();
  next->job = job;
  next->received = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    next->generation = ++generation_;
    epoch_ = std::max(epoch_, job.epoch);
    current_ = std::move(next);
    stats_.generation = generation_;
    stats_.devices_reached = 0;
    stats_.slowest = {};
  }
  changed_.notify_all();
}

std::shared_ptr<const DispatchedJob> Dispatcher::current() const {
  std::lock_guard lock(mutex_);
  return current_;
}

std::uint64_t Dispatcher::generation() const {
  std::lock_guard lock(mutex_);
  return generation_;
}

std::uint64_t Dispatcher::epoch() const {
  std::lock_guard lock(mutex_);
  return epoch_;
}

std::shared_ptr<const DispatchedJob> Dispatcher::wait_newer(std::uint64_t seen,
                                                            const std::atomic<bool>& cancel) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stopped_ || cancel.load() || generation_ > seen; });
  return stopped_ || cancel.load() ? nullptr : current_;
}

void Dispatcher::wake() {
  { std::lock_guard lock(mutex_); }  // a waiter between its check and its sleep sees the flag
  changed_.notify_all();
}

void Dispatcher::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  changed_.notify_all();
}

void Dispatcher::pause() {
  paused_ = true;
}

void Dispatcher::resume() {
  {
    std::lock_guard lock(mutex_);
    paused_ = false;
  }
  changed_.notify_all();
}

void Dispatcher::wait_resumed(const std::atomic<bool>& cancel) {
  std::unique_lock lock(mutex_);
  changed_.wait(lock, [&] { return stopped_ || cancel.load() || !paused_.load(); });
}

void Dispatcher::picked_up(std::size_t device, std::uint64_t generation) {
  std::lock_guard lock(mutex_);
  if (device >= device_generation_.size() || generation != generation_ || !current_) return;
  if (device_generation_[device] == generation) return;
  device_generation_[device] = generation;
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - current_->received);
  stats_.slowest = std::max(stats_.slowest, latency);
  stats_.worst_ever = std::max(stats_.worst_ever, latency);
  if (++stats_.devices_reached == device_generation_.size())
    spdlog::debug("job {} reached all {} devices in {:.2f} ms", current_->job.fields.job_id,
                  device_generation_.size(), static_cast<double>(stats_.slowest.count()) / 1000.0);
}

JobSwitchStats Dispatcher::switch_stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace ih::agent
