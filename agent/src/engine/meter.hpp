// Hashes done per device, as 10 s / 60 s / 15 min rates from per-second ring buffers.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

namespace ih::agent {

using SteadyClock = std::chrono::steady_clock;

// One device's hash counts in one-second buckets covering the last 15 minutes.
class RateMeter {
 public:
  static constexpr std::size_t kSeconds = 900;

  explicit RateMeter(SteadyClock::time_point start = SteadyClock::now());
  void add(std::uint64_t hashes, SteadyClock::time_point now = SteadyClock::now());
  // Hashes per second over the last `window`; empty until the meter has run that long.
  std::optional<double> rate(std::chrono::seconds window,
                             SteadyClock::time_point now = SteadyClock::now()) const;
  std::uint64_t total() const;

 private:
  std::int64_t second_of(SteadyClock::time_point t) const;

  mutable std::mutex mutex_;
  SteadyClock::time_point start_;
  std::array<std::uint64_t, kSeconds> buckets_{};
  std::array<std::int64_t, kSeconds> bucket_second_{};  // which second each bucket holds
  std::uint64_t total_ = 0;
};

struct DeviceRates {
  std::optional<double> r10s, r60s, r15m;
  std::uint64_t total = 0;
};

class Meter {
 public:
  explicit Meter(std::size_t devices, SteadyClock::time_point start = SteadyClock::now());
  void add(std::size_t device, std::uint64_t hashes,
           SteadyClock::time_point now = SteadyClock::now());
  DeviceRates device(std::size_t device, SteadyClock::time_point now = SteadyClock::now()) const;
  DeviceRates total(SteadyClock::time_point now = SteadyClock::now()) const;
  std::size_t devices() const { return meters_.size(); }

 private:
  std::vector<std::unique_ptr<RateMeter>> meters_;
};

}  // namespace ih::agent
