// A share with everything a proof needs (DESIGN §6): what the share gate hashed when it sent
// it, and how the pool answered. The engine hands each one to EngineObserver::on_share.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "engine/dispatcher.hpp"

namespace ih::agent {

struct SubmittedShare {
  std::shared_ptr<const DispatchedJob> job;  // fields, extranonce1, difficulty, pool index
  Header80 header{};                         // exactly as hashed
  stratum::Bytes extranonce2;
  double achieved_difficulty = 0;  // from the hash
  std::int64_t found_ms = 0;       // UTC
};

struct SettledShare {
  SubmittedShare share;
  std::string pool_url;  // secrets masked
  std::string worker;
  stratum::SubmitResult result;
};

// Submitted shares waiting for their verdict, by share id.
class SubmittedShares {
 public:
  void add(std::uint64_t id, SubmittedShare share) {
    std::lock_guard lock(mutex_);
    shares_.emplace(id, std::move(share));
  }
  std::optional<SubmittedShare> take(std::uint64_t id) {
    std::lock_guard lock(mutex_);
    auto it = shares_.find(id);
    if (it == shares_.end()) return std::nullopt;
    SubmittedShare out = std::move(it->second);
    shares_.erase(it);
    return out;
  }

 private:
  std::mutex mutex_;
  std::map<std::uint64_t, SubmittedShare> shares_;
};

}  // namespace ih::agent
