// Failover made visible: which pool is active, and why the agent moved off the last one. Fed
// the stratum client's connection events; returns the line to log.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/pool_config.hpp"

namespace ih::agent {

struct PoolSwitchLine {
  std::string text;
  bool warning = false;
};

class PoolSwitchLog {
 public:
  // `pools`: the client's pool list (enabled pools, failover order).
  explicit PoolSwitchLog(std::vector<ResolvedPool> pools);

  // `pool`: a position in that list. `reason` may hold pool bytes; it is escaped.
  PoolSwitchLine on_connection(std::size_t pool, bool connected, std::string_view reason);

 private:
  std::string name(std::size_t pool) const;  // "pool 1 (stratum+tcp://... as user)"

  std::vector<ResolvedPool> pools_;
  std::optional<std::size_t> active_;
  std::optional<std::size_t> left_;  // the last active pool that went away, and why
  std::string left_why_;
};

}  // namespace ih::agent
