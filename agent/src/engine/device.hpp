// One mining device as the engine sees it (DESIGN §3): a CPU thread today, a GPU as those land.
// It takes work from the Dispatcher and hands candidates to the ShareGate on its own thread.
#pragma once

#include <cstdint>
#include <string>

namespace ih::agent {

// What the status endpoint shows about a device.
struct DeviceDescription {
  std::string name;     // "cpu0 (avx2)", "cuda:0"
  std::string kind;     // "cpu", "cuda", "opencl"
  std::string scanner;  // the kernel it runs
  unsigned threads = 1;
  bool failed = false;                         // gave up mining (a GPU error)
  bool paused = false;                         // asleep on a pause request
  std::uint64_t hardware_errors_reported = 0;  // by a GPU scanner's own re-check
};

class Device {
 public:
  virtual ~Device() = default;
  virtual void start() = 0;
  // Returns once the device hashes no more; candidates it found have reached the share gate.
  virtual void stop() = 0;
  virtual std::string name() const = 0;
  // Work units (extranonce2 / version slices) begun so far.
  virtual std::uint64_t units_started() const = 0;
  virtual DeviceDescription describe() const { return {name(), "cpu", "", 1, false, false, 0}; }
};

}  // namespace ih::agent
