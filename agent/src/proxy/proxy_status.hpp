// What the proxy shows: per downstream worker and per upstream pool, a copy taken on the
// proxy's I/O thread. Plain structs, so the status routes never see asio or the sessions.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ih::proxy {

struct WorkerStatus {
  std::uint64_t connection = 0;  // unique per downstream connection
  std::string name;              // as the miner authorized (first name on the connection)
  std::string upstream_name;     // what the pool it is on sees
  std::string user_agent;
  std::string remote;               // address:port
  std::optional<std::size_t> pool;  // index into PoolStatus; none while unassigned
  double difficulty = 0;
  std::optional<double> hashrate;      // estimated from its shares, H/s
  double hashrate_window_seconds = 0;  // the time the estimate covers
  std::uint64_t shares_valid = 0;      // re-checked and good at its difficulty
  std::uint64_t shares_invalid = 0;    // refused downstream, never forwarded
  std::uint64_t forwarded = 0;
  std::uint64_t upstream_accepted = 0;
  std::uint64_t upstream_rejected = 0;
  double accepted_difficulty = 0;  // Σ upstream difficulty of its accepted shares
  std::uint64_t moves = 0;
  double connected_seconds = 0;
};

struct PoolStatus {
  std::string name;
  std::string url;
  std::string worker_id;
  bool backup = false;
  bool connected = false;
  bool usable = false;  // connected, has a job, and its extranonce split works
  std::string problem;  // why not usable
  double difficulty = 0;
  std::optional<double> target_hashrate;
  double weight = 0;
  double desired_hashrate = 0;   // what the router wants it to get
  double assigned_hashrate = 0;  // Σ estimates of its workers
  std::size_t workers = 0;
  std::uint64_t forwarded = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t jobs = 0;
};

struct ProxyStatus {
  std::vector<WorkerStatus> workers;
  std::vector<PoolStatus> pools;
  std::uint64_t connections_total = 0;
  std::uint64_t rebalances = 0;
  std::uint64_t reloads = 0;
  double uptime_seconds = 0;
};

}  // namespace ih::proxy
