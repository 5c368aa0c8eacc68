// Where every share candidate ends up (DESIGN §1): accepted, rejected (with the pool's reason),
// stale (known stale and not sent, or rejected by the pool as stale: job not found, code 21),
// hardware error, or still pending. Balances at all times:
//   found = accepted + rejected + stale + hardware_errors + pending.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "ih/stratum/client/pool_client.hpp"

namespace ih::agent {

struct ShareBuckets {
  std::uint64_t found = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t stale = 0;
  std::uint64_t hardware_errors = 0;
  std::uint64_t pending = 0;
  double best_difficulty = 0;      // best share found (hardware errors excluded)
  double accepted_difficulty = 0;  // sum over accepted shares
  std::uint64_t latency_samples = 0;
  std::chrono::milliseconds latency_total{0};
  std::chrono::milliseconds latency_max{0};

  bool balanced() const { return found == accepted + rejected + stale + hardware_errors + pending; }
};

struct LedgerSnapshot {
  ShareBuckets total;
  std::vector<ShareBuckets> devices;
  std::vector<ShareBuckets> pools;
  std::map<std::string, std::uint64_t> reject_reasons;
  std::uint64_t stale_unsent = 0;   // known stale before sending: never sent
  std::uint64_t stale_by_pool = 0;  // sent, then rejected by the pool as stale (raced a new job)
  std::uint64_t near_misses = 0;    // kernel candidates above the full target (not shares)
  std::uint64_t duplicates_dropped = 0;  // candidates seen before: never sent twice
};

// A pool's reject reason that means "your job is gone" (Stratum code 21 and its usual words).
bool is_stale_rejection(std::string_view reason);

class Ledger {
 public:
  Ledger(std::size_t devices, std::size_t pools);

  void near_miss(std::size_t device);
  void duplicate(std::size_t device);
  void hardware_error(std::size_t device, std::size_t pool);
  void stale(std::size_t device, std::size_t pool, double difficulty);
  // A share handed to the pool: pending until its result arrives (which may come first).
  void submitted(std::uint64_t share_id, std::size_t device, std::size_t pool, double difficulty);
  // A result may arrive before submitted() (a stale share answered inside submit(), or a pool on
  // loopback answering before submit() returned). Returns the settled share's difficulty (0
  // while its submitted() has not come yet).
  double result(const stratum::SubmitResult& result);

  // Called once per share as it settles, whichever of result() and submitted() came last, with
  // no lock held: where the console prints "accepted"/"rejected".
  using SettledFn = std::function<void(const stratum::SubmitResult&, double difficulty)>;
  void on_settled(SettledFn callback) { settled_ = std::move(callback); }

  LedgerSnapshot snapshot() const;
  std::uint64_t pending() const;

 private:
  struct Pending {
    std::size_t device = 0;
    std::size_t pool = 0;
    double difficulty = 0;
  };
  void found_locked(std::size_t device, std::size_t pool, double difficulty);
  template <typename F>
  void each_bucket(std::size_t device, std::size_t pool, F&& apply);
  void settle_locked(const Pending& share, const stratum::SubmitResult& result);

  mutable std::mutex mutex_;
  LedgerSnapshot state_;
  std::map<std::uint64_t, Pending> pending_;
  std::map<std::uint64_t, stratum::SubmitResult> early_results_;  // result before submitted()
  SettledFn settled_;
};

}  // namespace ih::agent
