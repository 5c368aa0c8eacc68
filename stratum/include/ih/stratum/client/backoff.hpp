// Exponential reconnect back-off with jitter: initial, 2x, 4x ... capped at max, each delay
// spread by +-25 % so a fleet of agents does not reconnect in lockstep.
#pragma once

#include <chrono>
#include <cstdint>
#include <random>

namespace ih::stratum {

class Backoff {
 public:
  Backoff(std::chrono::milliseconds initial, std::chrono::milliseconds max,
          std::uint64_t seed = std::random_device{}());

  std::chrono::milliseconds next();  // the delay before the next attempt
  void reset() { attempt_ = 0; }
  unsigned attempts() const { return attempt_; }

 private:
  std::chrono::milliseconds initial_;
  std::chrono::milliseconds max_;
  unsigned attempt_ = 0;
  std::mt19937_64 rng_;
};

}  // namespace ih::stratum
