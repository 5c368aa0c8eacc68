// One mining device: a CPU thread, or a GPU driven from one host thread. It takes the
// dispatcher's job, hashes its own work units with a scanner and hands candidates to the share
// gate. CPU chunks are sized to ~5 ms so a new job is picked up fast; a GPU scanner's batch is
// the one it prefers (job switch under ~100 ms with its launches in flight).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "engine/device.hpp"
#include "engine/dispatcher.hpp"
#include "engine/meter.hpp"
#include "engine/share_gate.hpp"
#include "ih/kernels/gpu_scanner.hpp"
#include "ih/kernels/scanner.hpp"

namespace ih::agent {

struct DeviceSlot {
  std::size_t index = 0;  // this device's number
  std::size_t count = 1;  // devices sharing the search space
  // Nonces hashed per work unit before moving to the next one; 2^32 except in tests.
  std::uint64_t nonces_per_unit = std::uint64_t{1} << 32;
  // Runs first on the device's thread (pinning); an error is logged, mining goes on unpinned.
  std::function<std::optional<std::string>()> on_thread_start;
  std::string label;              // e.g. "cuda:0"; empty: "cpu<index>"
  std::uint32_t fixed_chunk = 0;  // nonces per scan() call; 0: adapt to ~5 ms
};

class CpuDevice final : public Device {
 public:
  CpuDevice(DeviceSlot slot, std::unique_ptr<kernels::Scanner> scanner, Dispatcher& dispatcher,
            ShareGate& gate, Meter& meter);
  ~CpuDevice() override;
  CpuDevice(const CpuDevice&) = delete;
  CpuDevice& operator=(const CpuDevice&) = delete;

  void start() override;
  void stop() override;
  std::string name() const override;
  std::uint64_t units_started() const override { return units_started_.load(); }
  DeviceDescription describe() const override;

 private:
  void run();

  DeviceSlot slot_;
  std::unique_ptr<kernels::Scanner> scanner_;
  kernels::GpuScanner* gpu_ = nullptr;  // scanner_ when it drives a GPU
  Dispatcher& dispatcher_;
  ShareGate& gate_;
  Meter& meter_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> units_started_{0};
  std::atomic<bool> failed_{false};  // a GPU that reported an error and stopped
  std::atomic<bool> paused_{false};  // asleep in Dispatcher::wait_resumed
  std::thread thread_;
};

}  // namespace ih::agent
