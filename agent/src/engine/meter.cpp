#include "engine/meter.hpp"

namespace ih::agent {

RateMeter::RateMeter(SteadyClock::time_point start) : start_(start) {
  bucket_second_.fill(-1);
}

std::int64_t RateMeter::second_of(SteadyClock::time_point t) const {
  return std::chrono::duration_cast<std::chrono::seconds>(t - start_).count();
}

void RateMeter::add(std::uint64_t hashes, SteadyClock::time_point now) {
  std::lock_guard lock(mutex_);
  const std::int64_t second = second_of(now);
  if (second < 0) return;
  const auto slot = static_cast<std::size_t>(second) % kSeconds;
  if (bucket_second_[slot] != second) {
    bucket_second_[slot] = second;
    buckets_[slot] = 0;
  }
  buckets_[slot] += hashes;
  total_ += hashes;
}

std::optional<double> RateMeter::rate(std::chrono::seconds window,
                                      SteadyClock::time_point now) const {
  std::lock_guard lock(mutex_);
  const double elapsed = std::chrono::duration<double>(now - start_).count();
  const auto w = window.count();
  if (w <= 0 || static_cast<std::size_t>(w) > kSeconds || elapsed < static_cast<double>(w))
    return std::nullopt;
  // Buckets (now_second - w, now_second] cover the last w - 1 seconds plus the current one.
  const std::int64_t now_second = second_of(now);
  std::uint64_t sum = 0;
  for (std::int64_t s = now_second - w + 1; s <= now_second; ++s) {
    const auto slot = static_cast<std::size_t>(s) % kSeconds;
    if (bucket_second_[slot] == s) sum += buckets_[slot];
  }
  const double covered = static_cast<double>(w - 1) + (elapsed - static_cast<double>(now_second));
  return static_cast<double>(sum) / covered;
}

std::uint64_t RateMeter::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

Meter::Meter(std::size_t devices, SteadyClock::time_point start) {
  for (std::size_t i = 0; i < devices; ++i) meters_.push_back(std::make_unique<RateMeter>(start));
}

void Meter::add(std::size_t device, std::uint64_t hashes, SteadyClock::time_point now) {
  meters_.at(device)->add(hashes, now);
}

DeviceRates Meter::device(std::size_t device, SteadyClock::time_point now) const {
  const RateMeter& m = *meters_.at(device);
  return {m.rate(std::chrono::seconds(10), now), m.rate(std::chrono::seconds(60), now),
          m.rate(std::chrono::seconds(900), now), m.total()};
}

DeviceRates Meter::total(SteadyClock::time_point now) const {
  DeviceRates sum;
  auto add = [](std::optional<double>& into, const std::optional<double>& v) {
    if (v) into = into.value_or(0) + *v;
  };
  for (std::size_t i = 0; i < meters_.size(); ++i) {
    const DeviceRates d = device(i, now);
    add(sum.r10s, d.r10s);
    add(sum.r60s, d.r60s);
    add(sum.r15m, d.r15m);
    sum.total += d.total;
  }
  return sum;
}

}  // namespace ih::agent
