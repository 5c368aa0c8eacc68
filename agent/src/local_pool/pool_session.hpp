// The server side of one Stratum V1 connection, as pure logic: lines in, lines out. The local
// pool's transport feeds it; a future proxy (DESIGN §7) can reuse it unchanged.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "ih/stratum/protocol/header.hpp"

namespace ih::agent::local_pool {

using Clock = std::chrono::steady_clock;

// The jobs shares may still be submitted for (the newest last).
class JobBook {
 public:
  void add(stratum::JobFields job);
  const stratum::JobFields* find(std::string_view job_id) const;
  const stratum::JobFields* newest() const;
  void clear() { jobs_.clear(); }

 private:
  static constexpr std::size_t kKept = 8;
  std::deque<stratum::JobFields> jobs_;
};

// Totals over all sessions; shared with other threads.
class PoolTotals {
 public:
  void accepted(double difficulty);
  void rejected(const std::string& reason);
  void stale();  // a share for a job that is gone (code 21): counted apart from rejections
  std::uint64_t accepted_count() const;
  std::uint64_t rejected_count() const;
  std::uint64_t stale_count() const;
  std::map<std::string, std::uint64_t> reject_reasons() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t accepted_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t stale_ = 0;
  std::map<std::string, std::uint64_t> reasons_;
};

struct SessionOptions {
  double initial_difficulty = 0.0005;
  double min_difficulty = 1e-9;
  double seconds_per_share = 2;  // vardiff aims here
  std::chrono::milliseconds retarget_every{4000};
  bool vardiff = true;
  std::string expected_user;  // non-empty: authorize only this worker name (as a real pool would)
};

class PoolSession {
 public:
  PoolSession(stratum::Bytes extranonce1, SessionOptions options, const JobBook& jobs,
              PoolTotals& totals, Clock::time_point now);

  std::vector<std::string> on_line(std::string_view line, Clock::time_point now);
  // A new job for everyone: its notify, once this miner is subscribed and authorized.
  std::vector<std::string> on_job(const stratum::JobFields& job);
  // Vardiff: a set_difficulty (and a re-notify) when the share rate is far off.
  std::vector<std::string> on_tick(Clock::time_point now);
  double difficulty() const { return difficulty_; }

 private:
  std::string notify(const stratum::JobFields& job);
  std::string set_difficulty_line();
  std::string check_submit(const std::vector<std::string>& params, int& code);

  stratum::Bytes extranonce1_;
  SessionOptions options_;
  const JobBook& jobs_;
  PoolTotals& totals_;
  bool subscribed_ = false;
  bool authorized_ = false;
  std::set<std::string> workers_;
  std::uint32_t version_mask_ = 0;
  double difficulty_;
  std::map<std::string, double> job_difficulty_;  // lowest difficulty in force for each job
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::string>> seen_;
  Clock::time_point window_start_;
  std::uint64_t window_shares_ = 0;
};

}  // namespace ih::agent::local_pool
