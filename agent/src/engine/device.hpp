// One mining device as the engine sees it (DESIGN §3): a CPU thread today, a GPU as those land.
// It takes work from the Dispatcher and hands candidates to the ShareGate on its own thread.
#pragma once

#include <cstdint>
#include <string>

namespace ih::agent {

class Device {
 public:
  virtual ~Device() = default;
  virtual void start() = 0;
  // Returns once the device hashes no more; candidates it found have reached the share gate.
  virtual void stop() = 0;
  virtual std::string name() const = 0;
  // Work units (extranonce2 / version slices) begun so far.
  virtual std::uint64_t units_started() const = 0;
};

}  // namespace ih::agent
