#include "proxy/hashrate_estimate.hpp"

#include <algorithm>
#include <cmath>

namespace ih::proxy {

namespace {

constexpr double kHashesPerDifficulty = 4294967296.0;  // 2^32

}  // namespace

HashrateEstimator::HashrateEstimator(Clock::time_point connected_at,
                                     std::chrono::seconds max_window, std::size_t max_shares)
    : connected_at_(connected_at),
      max_window_(max_window),
      max_shares_(std::max<std::size_t>(1, max_shares)) {}

void HashrateEstimator::drop_oldest() {
  dropped_until_ = shares_.front().at;
  shares_.pop_front();
}

void HashrateEstimator::add_share(double difficulty, Clock::time_point at) {
  if (!std::isfinite(difficulty) || difficulty <= 0) return;
  at = std::max(at, connected_at_);
  if (!shares_.empty()) at = std::max(at, shares_.back().at);
  shares_.push_back({at, difficulty});
  while (shares_.size() > max_shares_) drop_oldest();
  while (shares_.front().at < at - max_window_) drop_oldest();
}

std::optional<double> HashrateEstimator::hashrate(Clock::time_point now,
                                                  std::chrono::seconds window,
                                                  unsigned min_shares) const {
  Clock::time_point start = std::max(now - window, connected_at_);
  if (dropped_until_) start = std::max(start, *dropped_until_);
  if (now <= start) return std::nullopt;
  double difficulty_sum = 0;
  unsigned count = 0;
  // Newest first: the window is usually a short tail of what is held.
  for (auto it = shares_.rbegin(); it != shares_.rend() && it->at > start; ++it) {
    if (it->at > now) continue;
    difficulty_sum += it->difficulty;
    ++count;
  }
  if (count < std::max(1u, min_shares)) return std::nullopt;
  const double elapsed = std::chrono::duration<double>(now - start).count();
  return difficulty_sum * kHashesPerDifficulty / elapsed;
}

}  // namespace ih::proxy
