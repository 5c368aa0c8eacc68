// Collects PoolClient events from its I/O thread and lets a test wait for them.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "ih/stratum/client/pool_client.hpp"

namespace ih::test {

class ClientEvents {
 public:
  stratum::PoolEvents events() {
    stratum::PoolEvents e;
    e.on_job = [this](const stratum::Job& job) { add([&] { jobs_.push_back(job); }); };
    e.on_submit_result = [this](const stratum::SubmitResult& r) {
      add([&] { results_.push_back(r); });
    };
    e.on_connection = [this](std::size_t pool, bool up, std::string_view reason) {
      add([&] { connections_.push_back({pool, up, std::string(reason)}); });
    };
    e.on_pool_message = [this](std::string_view text) {
      add([&] { messages_.emplace_back(text); });
    };
    e.on_health = [this](const stratum::PoolHealth& h) { add([&] { health_.push_back(h); }); };
    return e;
  }

  struct Connection {
    std::size_t pool;
    bool up;
    std::string reason;
  };

  // Waits until at least n jobs arrived; returns the newest (or a default Job on timeout).
  bool wait_jobs(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    return wait(timeout, [&] { return jobs_.size() >= n; });
  }
  bool wait_results(std::size_t n, std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    return wait(timeout, [&] { return results_.size() >= n; });
  }
  bool wait_connections(std::size_t n,
                        std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    return wait(timeout, [&] { return connections_.size() >= n; });
  }
  std::vector<stratum::Job> jobs() {
    std::lock_guard lock(mutex_);
    return jobs_;
  }
  std::vector<stratum::SubmitResult> results() {
    std::lock_guard lock(mutex_);
    return results_;
  }
  std::vector<Connection> connections() {
    std::lock_guard lock(mutex_);
    return connections_;
  }
  // Waits until some pool reported `reason`.
  bool wait_health(stratum::PoolHealthReason reason,
                   std::chrono::milliseconds timeout = std::chrono::seconds(3)) {
    return wait(timeout, [&] {
      for (const auto& h : health_)
        if (h.reason == reason) return true;
      return false;
    });
  }
  std::vector<stratum::PoolHealth> health() {
    std::lock_guard lock(mutex_);
    return health_;
  }
  std::vector<std::string> messages() {
    std::lock_guard lock(mutex_);
    return messages_;
  }

 private:
  template <class F>
  void add(F f) {
    {
      std::lock_guard lock(mutex_);
      f();
    }
    changed_.notify_all();
  }
  template <class P>
  bool wait(std::chrono::milliseconds timeout, P done) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, done);
  }

  std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<stratum::Job> jobs_;
  std::vector<stratum::SubmitResult> results_;
  std::vector<Connection> connections_;
  std::vector<std::string> messages_;
  std::vector<stratum::PoolHealth> health_;
};

}  // namespace ih::test
