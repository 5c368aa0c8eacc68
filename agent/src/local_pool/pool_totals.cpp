#include "local_pool/pool_totals.hpp"

namespace ih::agent::local_pool {

void PoolTotals::accepted(double) {
  std::lock_guard lock(mutex_);
  ++accepted_;
}

void PoolTotals::rejected(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++rejected_;
  ++reasons_[reason];
}

void PoolTotals::stale() {
  std::lock_guard lock(mutex_);
  ++stale_;
}

std::uint64_t PoolTotals::accepted_count() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

std::uint64_t PoolTotals::rejected_count() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

std::uint64_t PoolTotals::stale_count() const {
  std::lock_guard lock(mutex_);
  return stale_;
}

std::map<std::string, std::uint64_t> PoolTotals::reject_reasons() const {
  std::lock_guard lock(mutex_);
  return reasons_;
}

}  // namespace ih::agent::local_pool
