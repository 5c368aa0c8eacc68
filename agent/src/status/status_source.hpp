// What the built-in routes read and control: the engine behind a small interface, so the
// server library (httplib, prometheus, nlohmann) never sees the engine's internals.
#pragma once

#include <string>
#include <vector>

#include "status/status_snapshot.hpp"

namespace ih::agent::status {

class StatusSource {
 public:
  virtual ~StatusSource() = default;
  virtual StatusSnapshot snapshot() const = 0;              // a copy, taken now
  virtual std::vector<HashrateSample> history() const = 0;  // the last hour, oldest first
  virtual std::string instance_id() const = 0;              // random per process (xmrig's "id")
  virtual void set_paused(bool paused) = 0;                 // devices stop / carry on
};

}  // namespace ih::agent::status
