// Connection state of each configured pool, as the status endpoint shows it: connected since
// when, how often it failed or came back, the best shares found. Fed by the pool client's
// events on its I/O thread; read by anyone (a copy under a short lock).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/meter.hpp"

namespace ih::agent {

struct PoolConnectionState {
  std::string url;  // as configured, secrets masked
  bool connected = false;
  std::optional<SteadyClock::time_point> connected_since;
  std::uint64_t connects = 0;  // times it became ready (subscribed and authorized)
  std::uint64_t failures = 0;  // failed attempts and lost connections
  std::string last_error;      // the client's last reason for a failure (already escaped)
};

class PoolTracker {
 public:
  explicit PoolTracker(const std::vector<std::string>& urls);
  void connection(std::size_t pool, bool connected, std::string_view reason,
                  SteadyClock::time_point now = SteadyClock::now());
  std::vector<PoolConnectionState> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<PoolConnectionState> pools_;
};

// The best achieved difficulties of settled shares, highest first (xmrig's results.best).
class BestShares {
 public:
  static constexpr std::size_t kKept = 10;
  void add(double difficulty);
  std::vector<double> snapshot() const;

 private:
  mutable std::mutex mutex_;
  std::vector<double> best_;
};

}  // namespace ih::agent
