#include "collect/collect_metrics.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace ih::collect {

void CollectMetrics::count_report(const std::string& result) {
  std::lock_guard lock(mutex_);
  ++reports_[result];
}

void CollectMetrics::count_reasons(const std::vector<std::string>& reasons) {
  std::lock_guard lock(mutex_);
  for (const std::string& r : reasons) ++reasons_[r.substr(0, r.find(':'))];
}

void CollectMetrics::count_proofs(std::uint64_t verified, std::uint64_t accepted, double seconds) {
  std::lock_guard lock(mutex_);
  proofs_verified_ += verified;
  proofs_accepted_ += accepted;
  verify_seconds_ += seconds;
}

void CollectMetrics::count_conflicts(std::uint64_t shares) {
  std::lock_guard lock(mutex_);
  conflicts_ += shares;
}

std::string CollectMetrics::text(const StoreStats& store) const {
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  // A fresh registry per scrape, filled from the running totals.
  prometheus::Registry registry;
  std::lock_guard lock(mutex_);
  auto& reports = BuildCounter()
                      .Name("infinite_hashes_collect_reports_total")
                      .Help("Reports received, by result")
                      .Register(registry);
  for (const auto& [result, n] : reports_)
    reports.Add({{"result", result}}).Increment(static_cast<double>(n));
  auto& reasons = BuildCounter()
                      .Name("infinite_hashes_collect_refusal_reasons_total")
                      .Help("Failed checks of refused reports, by check")
                      .Register(registry);
  for (const auto& [reason, n] : reasons_)
    reasons.Add({{"reason", reason}}).Increment(static_cast<double>(n));
  auto counter = [&](const char* name, const char* help, double value) {
    BuildCounter().Name(name).Help(help).Register(registry).Add({}).Increment(value);
  };
  counter("infinite_hashes_collect_proofs_verified_total", "Proofs re-hashed and checked",
          static_cast<double>(proofs_verified_));
  counter("infinite_hashes_collect_proofs_accepted_total", "Proofs of stored reports",
          static_cast<double>(proofs_accepted_));
  counter("infinite_hashes_collect_conflicting_shares_total",
          "Shares claimed by a report after another report had claimed them",
          static_cast<double>(conflicts_));
  counter("infinite_hashes_collect_verify_seconds_total", "Time spent verifying reports",
          verify_seconds_);
  auto gauge = [&](const char* name, const char* help, std::uint64_t value) {
    BuildGauge().Name(name).Help(help).Register(registry).Add({}).Set(static_cast<double>(value));
  };
  gauge("infinite_hashes_collect_stored_reports", "Reports in the store", store.reports);
  gauge("infinite_hashes_collect_stored_proofs", "Proofs of the stored reports", store.proofs);
  gauge("infinite_hashes_collect_stored_refusals", "Refusals kept for the listing", store.refusals);
  gauge("infinite_hashes_collect_stored_conflicts", "Conflicts kept", store.conflicts);
  gauge("infinite_hashes_collect_database_bytes", "Size of the database file", store.bytes);
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

}  // namespace ih::collect
