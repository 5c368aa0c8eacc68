// Every candidate a device reports passes here (DESIGN §1): the full header is rebuilt and
// hashed with the reference sha256d; only a real share that is new and current is submitted.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <tuple>

#include "engine/dispatcher.hpp"
#include "engine/ledger.hpp"
#include "engine/pool_link.hpp"
#include "engine/settled_share.hpp"

namespace ih::agent {

struct Candidate {
  std::size_t device = 0;
  std::shared_ptr<const DispatchedJob> job;
  stratum::Bytes extranonce2;
  std::uint32_t version_bits = 0;
  std::uint32_t nonce = 0;
};

enum class GateVerdict { submitted, stale, hardware_error, near_miss, duplicate };

class ShareGate {
 public:
  ShareGate(Dispatcher& dispatcher, Ledger& ledger);
  void attach(PoolLink* pool);  // shares go nowhere before this
  // Called (outside the gate's lock, on the device's thread) after each submitted share.
  void on_submitted(std::function<void()> hook) { on_submitted_ = std::move(hook); }
  GateVerdict process(const Candidate& candidate);
  // Candidates a GPU scanner's own CPU re-check already rejected: hardware errors of `device`.
  void device_hardware_errors(std::size_t device, const DispatchedJob& job, std::uint64_t count);
  // Sees every share sent, before the ledger does (so before its verdict can settle).
  using SubmittedFn = std::function<void(std::uint64_t share_id, SubmittedShare share)>;
  void on_share_sent(SubmittedFn callback) { share_sent_ = std::move(callback); }

 private:
  GateVerdict submit_checked(const Candidate& candidate, const Header80& header, double difficulty);

  using ShareKey = std::tuple<std::uint64_t, std::string, stratum::Bytes, std::uint32_t,
                              std::uint32_t, std::uint32_t>;

  Dispatcher& dispatcher_;
  Ledger& ledger_;
  std::mutex mutex_;
  PoolLink* pool_ = nullptr;
  std::uint64_t seen_epoch_ = 0;
  std::set<ShareKey> seen_;  // shares of the current epoch, to never send one twice
  std::function<void()> on_submitted_;
  SubmittedFn share_sent_;
};

}  // namespace ih::agent
