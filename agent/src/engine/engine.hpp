// The mining engine: pool link -> dispatcher -> devices -> share gate -> pool, with the ledger
// and meter watching (DESIGN §1). Owns its threads; stop() shuts down in order.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/cpu_device.hpp"
#include "engine/dispatcher.hpp"
#include "engine/ledger.hpp"
#include "engine/meter.hpp"
#include "engine/pool_link.hpp"
#include "engine/pool_tracker.hpp"
#include "engine/share_gate.hpp"
#include "ih/kernels/scanner_catalog.hpp"
#include "ih/result.hpp"

namespace ih::agent {

struct EngineOptions {
  stratum::PoolClientOptions pool;
  unsigned threads = 1;  // CPU mining threads (0: one per logical CPU); ignored with pin_to
  // One thread per entry, pinned by pin(pu) on its own thread (hwdetect's thread plan).
  std::vector<unsigned> pin_to;
  std::function<std::optional<std::string>(unsigned pu)> pin;
  std::string cpu_kernel = "auto";
  bool cpu = true;                          // false: --no-cpu
  std::vector<kernels::ScannerEntry> gpus;  // runnable GPU scanners, one device each
  std::uint64_t nonces_per_unit = std::uint64_t{1} << 32;
  std::chrono::milliseconds reply_wait{2000};  // at shutdown, for replies to sent shares
};

// Hooks for the console; called on the pool's I/O thread.
struct EngineObserver {
  std::function<void(const stratum::SubmitResult&, double difficulty, const LedgerSnapshot&)>
      on_result;
  std::function<void(const stratum::Job&)> on_job;
  std::function<void(std::size_t pool, bool connected, std::string_view reason)> on_connection;
};

struct ShutdownReport {
  std::size_t pending_at_stop = 0;      // shares without a reply when devices stopped
  std::chrono::milliseconds waited{0};  // how long replies were waited for
};

class Engine {
 public:
  static Result<std::unique_ptr<Engine>> create(EngineOptions options, PoolLinkFactory pools,
                                                EngineObserver observer = {});
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  void start();
  // Stops the devices (their found shares are already submitted), waits up to reply_wait for
  // replies, then closes the pool link: every share ends in a ledger bucket.
  ShutdownReport stop();

  const Ledger& ledger() const { return ledger_; }
  const Meter& meter() const { return meter_; }
  const Dispatcher& dispatcher() const { return dispatcher_; }
  std::vector<std::string> device_names() const;
  std::size_t device_count() const { return devices_.size(); }
  SteadyClock::time_point started() const { return started_; }
  const std::vector<std::uint64_t> units_started() const;

  // For the status endpoint (each a copy under a short lock; never blocks the hashing threads).
  std::vector<DeviceDescription> describe_devices() const;
  std::vector<PoolConnectionState> pool_states() const { return pool_tracker_.snapshot(); }
  std::vector<double> best_difficulties() const { return best_.snapshot(); }
  // Devices sleep between chunks while paused and carry on with the current job on resume.
  void pause() { dispatcher_.pause(); }
  void resume() { dispatcher_.resume(); }
  bool paused() const { return dispatcher_.paused(); }

 private:
  Engine(EngineOptions options, std::size_t devices, EngineObserver observer);

  EngineOptions options_;
  EngineObserver observer_;
  SteadyClock::time_point started_;
  Dispatcher dispatcher_;
  Ledger ledger_;
  Meter meter_;
  ShareGate gate_;
  PoolTracker pool_tracker_;
  BestShares best_;
  std::vector<std::unique_ptr<Device>> devices_;
  std::unique_ptr<PoolLink> pool_;
  bool running_ = false;
};

}  // namespace ih::agent
