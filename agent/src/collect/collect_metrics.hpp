// What the collector counts, for /metrics (prometheus-cpp stays in collect_metrics.cpp).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "collect/collect_store.hpp"

namespace ih::collect {

class CollectMetrics {
 public:
  // `result`: stored, duplicate, unreadable, rate_limited, forbidden, invalid, conflict.
  void count_report(const std::string& result);
  // The check codes of a refused report ("bad_signature: 3 proof(s)" counts bad_signature).
  void count_reasons(const std::vector<std::string>& reasons);
  void count_proofs(std::uint64_t verified, std::uint64_t accepted, double seconds);
  void count_conflicts(std::uint64_t shares);

  // The Prometheus text of these counters and the store's sizes.
  std::string text(const StoreStats& store) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::uint64_t> reports_, reasons_;
  std::uint64_t proofs_verified_ = 0, proofs_accepted_ = 0, conflicts_ = 0;
  double verify_seconds_ = 0;
};

}  // namespace ih::collect
