#include "engine/ledger.hpp"

#include <algorithm>
#include <cctype>
#include <optional>

namespace ih::agent {

bool is_stale_rejection(std::string_view reason) {
  std::string lower(reason);
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower.find("code 21") != std::string::npos || lower.find("stale") != std::string::npos ||
         lower.find("job not found") != std::string::npos;
}

Ledger::Ledger(std::size_t devices, std::size_t pools) {
  state_.devices.resize(devices);
  state_.pools.resize(std::max<std::size_t>(pools, 1));
}

template <typename F>
void Ledger::each_bucket(std::size_t device, std::size_t pool, F&& apply) {
  apply(state_.total);
  if (device < state_.devices.size()) apply(state_.devices[device]);
  if (pool >= state_.pools.size()) state_.pools.resize(pool + 1);
  apply(state_.pools[pool]);
}

void Ledger::found_locked(std::size_t device, std::size_t pool, double difficulty) {
  each_bucket(device, pool, [&](ShareBuckets& b) {
    ++b.found;
    b.best_difficulty = std::max(b.best_difficulty, difficulty);
  });
}

void Ledger::near_miss(std::size_t) {
  std::lock_guard lock(mutex_);
  ++state_.near_misses;
}

void Ledger::duplicate(std::size_t) {
  std::lock_guard lock(mutex_);
  ++state_.duplicates_dropped;
}

void Ledger::hardware_error(std::size_t device, std::size_t pool) {
  std::lock_guard lock(mutex_);
  each_bucket(device, pool, [](ShareBuckets& b) {
    ++b.found;
    ++b.hardware_errors;
  });
}

void Ledger::stale(std::size_t device, std::size_t pool, double difficulty) {
  std::lock_guard lock(mutex_);
  found_locked(device, pool, difficulty);
  each_bucket(device, pool, [](ShareBuckets& b) { ++b.stale; });
  ++state_.stale_unsent;
}

void Ledger::submitted(std::uint64_t share_id, std::size_t device, std::size_t pool,
                       double difficulty) {
  std::optional<stratum::SubmitResult> settled;
  {
    std::lock_guard lock(mutex_);
    found_locked(device, pool, difficulty);
    const Pending share{device, pool, difficulty};
    if (auto early = early_results_.find(share_id); early != early_results_.end()) {
      settle_locked(share, early->second);
      settled = early->second;
      early_results_.erase(early);
    } else {
      pending_[share_id] = share;
      each_bucket(device, pool, [](ShareBuckets& b) { ++b.pending; });
    }
  }
  if (settled && settled_) settled_(*settled, difficulty);
}

double Ledger::result(const stratum::SubmitResult& result) {
  double difficulty = 0;
  {
    std::lock_guard lock(mutex_);
    const auto it = pending_.find(result.share_id);
    if (it == pending_.end()) {
      early_results_[result.share_id] = result;
      return 0;
    }
    const Pending share = it->second;
    pending_.erase(it);
    each_bucket(share.device, share.pool, [](ShareBuckets& b) { --b.pending; });
    settle_locked(share, result);
    difficulty = share.difficulty;
  }
  if (settled_) settled_(result, difficulty);
  return difficulty;
}

void Ledger::settle_locked(const Pending& share, const stratum::SubmitResult& result) {
  using stratum::SubmitOutcome;
  const bool pool_said_stale =
      result.outcome == SubmitOutcome::rejected && is_stale_rejection(result.reason);
  const bool answered =
      result.outcome == SubmitOutcome::accepted || result.outcome == SubmitOutcome::rejected;
  each_bucket(share.device, share.pool, [&](ShareBuckets& b) {
    switch (result.outcome) {
      case SubmitOutcome::accepted:
        ++b.accepted;
        b.accepted_difficulty += share.difficulty;
        break;
      case SubmitOutcome::stale:
        ++b.stale;
        break;
      case SubmitOutcome::rejected:
        ++(pool_said_stale ? b.stale : b.rejected);
        break;
      case SubmitOutcome::timed_out:  // sent, never answered: not credited
        ++b.rejected;
        break;
    }
    if (answered) {
      ++b.latency_samples;
      b.latency_total += result.latency;
      b.latency_max = std::max(b.latency_max, result.latency);
    }
  });
  if (pool_said_stale) ++state_.stale_by_pool;
  if (result.outcome == SubmitOutcome::rejected || result.outcome == SubmitOutcome::timed_out) {
    std::string reason = result.reason.empty() ? "no reason given" : result.reason;
    if (result.outcome == SubmitOutcome::timed_out) reason = "no reply: " + reason;
    ++state_.reject_reasons[reason];
  }
}

LedgerSnapshot Ledger::snapshot() const {
  std::lock_guard lock(mutex_);
  return state_;
}

std::uint64_t Ledger::pending() const {
  std::lock_guard lock(mutex_);
  return state_.total.pending;
}

}  // namespace ih::agent
