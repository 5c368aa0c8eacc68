// The rig the fault matrix and the soak drive: the real engine and stratum client mining on
// one CPU thread against two built-in pools (which re-check every share), the primary behind a
// fault-injecting proxy, the backup direct. Timeouts are short so faults show in seconds.
#pragma once

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "fault_proxy.hpp"
#include "local_pool/local_pool.hpp"

namespace ih::test {

using namespace std::chrono_literals;

struct RigOptions {
  double difficulty = 1.0 / 65536;  // a share every ~65 k hashes
  std::chrono::milliseconds job_interval = 700ms;
  bool primary_tls = false;  // the agent speaks TLS to the proxy (which is plain TCP)
  stratum::PoolClientOptions client;
  RigOptions() {
    client.backoff_initial = 100ms;
    client.backoff_max = 800ms;
    client.request_timeout = 1s;
    client.keepalive = 1500ms;
    client.primary_healthy_for = 1s;
    client.watchdog.handshake_timeout = 800ms;
    client.watchdog.job_timeout = 800ms;
    client.watchdog.stale_after = 2s;
    client.watchdog.healthy_after = 500ms;
    client.watchdog.max_unanswered_submits = 3;
  }
};

class FaultRig {
 public:
  explicit FaultRig(RigOptions options = {}) : options_(std::move(options)) {
    primary_ = start_pool(options_.difficulty, options_.job_interval);
    backup_ = start_pool(1.0 / 65536, 60s);
    if (primary_) proxy_ = std::make_unique<FaultProxy>(primary_->port());
  }
  ~FaultRig() { stop(); }

  bool ready() const { return primary_ && backup_ && proxy_; }
  FaultProxy& proxy() { return *proxy_; }
  agent::local_pool::LocalPool& primary() { return *primary_; }
  agent::local_pool::LocalPool& backup() { return *backup_; }
  agent::Engine& engine() { return *engine_; }

  bool start() {
    agent::EngineOptions o;
    o.threads = 1;
    o.cpu_kernel = "reference";
    o.reply_wait = 500ms;
    o.pool = options_.client;
    stratum::PoolEndpoint primary;
    primary.url = proxy_->url(options_.primary_tls ? "stratum+ssl" : "stratum+tcp");
    primary.user = "fault.rig";
    primary.tls_insecure = options_.primary_tls;
    stratum::PoolEndpoint backup;
    backup.url = backup_->url();
    backup.user = "fault.rig";
    o.pool.pools = {primary, backup};
    agent::EngineObserver observer;
    observer.on_connection = [this](std::size_t pool, bool up, std::string_view) {
      if (pool == 0 && !up) ++primary_failures_;
      if (up) ++ups_;
    };
    observer.on_health = [this](const stratum::PoolHealth& h) {
      std::lock_guard lock(mutex_);
      health_.push_back(h);
    };
    auto engine = agent::Engine::create(o, agent::make_stratum_pool_link, observer);
    EXPECT_TRUE(engine.ok()) << engine.error().message;
    if (!engine.ok()) return false;
    engine_ = std::move(*engine);
    engine_->start();
    started_ = std::chrono::steady_clock::now();
    return true;
  }

  // Stops the engine; returns how long it took (the agent must stop within 2 s).
  std::chrono::milliseconds stop() {
    if (!engine_ || stopped_) return 0ms;
    stopped_ = true;
    const auto t0 = std::chrono::steady_clock::now();
    engine_->stop();
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                                 t0);
  }

  std::uint64_t accepted_by_pools() const {
    return primary_->stats().accepted + backup_->stats().accepted;
  }
  // Failed attempts and lost links of the primary, as the engine saw them (refused connects
  // included, which the proxy cannot count).
  std::size_t primary_failures() const { return primary_failures_; }
  double seconds_running() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  }
  std::vector<stratum::PoolHealth> health() const {
    std::lock_guard lock(mutex_);
    return health_;
  }
  bool saw_health(stratum::PoolHealthReason reason) const {
    for (const auto& h : health())
      if (h.pool == 0 && h.reason == reason) return true;
    return false;
  }

 private:
  static std::unique_ptr<agent::local_pool::LocalPool> start_pool(
      double difficulty, std::chrono::milliseconds job_interval) {
    agent::local_pool::LocalPoolOptions o;
    o.session.initial_difficulty = difficulty;
    o.session.vardiff = false;
    o.job_interval = job_interval;
    auto pool = agent::local_pool::LocalPool::start(o);
    EXPECT_TRUE(pool.ok()) << pool.error().message;
    return pool.ok() ? std::move(*pool) : nullptr;
  }

  RigOptions options_;
  std::unique_ptr<agent::local_pool::LocalPool> primary_, backup_;
  std::unique_ptr<FaultProxy> proxy_;
  std::unique_ptr<agent::Engine> engine_;
  bool stopped_ = false;
  std::chrono::steady_clock::time_point started_;
  std::atomic<std::size_t> primary_failures_{0};
  std::atomic<std::size_t> ups_{0};
  mutable std::mutex mutex_;
  std::vector<stratum::PoolHealth> health_;
};

}  // namespace ih::test
