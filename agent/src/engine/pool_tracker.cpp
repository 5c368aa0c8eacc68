#include "engine/pool_tracker.hpp"

#include <algorithm>

#include "config/pool_url.hpp"
#include "ih/log_escape.hpp"

namespace ih::agent {

PoolTracker::PoolTracker(const std::vector<std::string>& urls) {
  for (const auto& url : urls) {
    PoolConnectionState state;
    state.url = mask_url_secret(url);
    pools_.push_back(std::move(state));
  }
}

void PoolTracker::connection(std::size_t pool, bool connected, std::string_view reason,
                             SteadyClock::time_point now) {
  std::lock_guard lock(mutex_);
  if (pool >= pools_.size()) return;
  PoolConnectionState& p = pools_[pool];
  if (connected) {
    if (!p.connected) p.connected_since = now;
    p.connected = true;
    ++p.connects;
    return;
  }
  p.connected = false;
  p.connected_since.reset();
  ++p.failures;
  p.last_error = escape_for_log(reason);
}

std::vector<PoolConnectionState> PoolTracker::snapshot() const {
  std::lock_guard lock(mutex_);
  return pools_;
}

void BestShares::add(double difficulty) {
  std::lock_guard lock(mutex_);
  if (best_.size() == kKept && difficulty <= best_.back()) return;
  best_.insert(std::upper_bound(best_.begin(), best_.end(), difficulty, std::greater<>()),
               difficulty);
  if (best_.size() > kKept) best_.pop_back();
}

std::vector<double> BestShares::snapshot() const {
  std::lock_guard lock(mutex_);
  return best_;
}

}  // namespace ih::agent
