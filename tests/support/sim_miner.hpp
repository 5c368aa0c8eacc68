// Simulated ASIC miners for testing and benchmarking the stratum proxy: a fleet of downstream
// Stratum V1 connections that speak as mining firmwares do (mining.configure with version
// rolling, subscribe, extranonce.subscribe, authorize) and really hash SHA-256d at a controlled,
// small rate, submitting every header that meets the share target. All miners share one io
// thread, hashing included (in short slices between network events), so a thousand connections
// cost one thread and a thousand sockets (raise RLIMIT_NOFILE for that many). asio stays in
// sim_miner.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "ih/result.hpp"

namespace ih::test {

struct SimMinerSpec {
  std::string user;  // "account.worker", as an ASIC authorizes
  std::string password = "x";
  double hashrate_hs = 0;  // real sha256d hashes per second; > 0
  bool version_rolling = true;
  bool extranonce_subscribe = true;
  std::string user_agent = "bmminer/2.0.0";
};

struct SimFleetOptions {
  // The io thread hashes every `slice`, for at most `hash_duty` of it; it yields to network
  // events every `yield_every` while hashing. What does not fit is missed (see hashes_missed).
  std::chrono::milliseconds slice{10};
  double hash_duty = 0.6;
  std::chrono::microseconds yield_every{500};
  double bucket_seconds = 0.05;  // the most hashing a miner may catch up on at once
  bool reconnect_on_drop = true;
  std::chrono::milliseconds reconnect_backoff{200};
  std::size_t max_line_bytes = 64 * 1024;  // a longer line from the server drops the connection
  std::uint32_t requested_version_mask = 0x1fffe000;
  std::string scanner;  // empty: the most preferred CPU scanner this machine runs
};

using SimClock = std::chrono::steady_clock;

struct SimMinerStats {
  std::string user;
  double nominal_hs = 0;
  std::uint64_t hashes = 0;         // sha256d hashes done
  std::uint64_t hashes_missed = 0;  // owed by the pace but not done (the host was too busy)
  std::uint64_t shares_submitted = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::string last_reject_reason;
  std::uint64_t connects = 0;          // TCP connections made
  std::uint64_t connect_failures = 0;  // attempts that did not connect
  std::uint64_t reconnects = 0;        // client.reconnect obeyed
  std::uint64_t drops = 0;             // connections lost or closed for any other reason
  std::uint64_t set_extranonce = 0;
  std::uint64_t jobs = 0;              // mining.notify received
  SimClock::time_point last_notify{};  // when the last notify was read; epoch: none yet
  std::string last_job_id;
  double difficulty = 1;
  std::string extranonce1;  // hex
  std::size_t extranonce2_size = 0;
  bool connected = false;
  bool subscribed = false;
  bool authorized = false;
  bool hashing = false;          // has a job and the session state to build headers from
  bool version_rolling = false;  // negotiated with mining.configure
  std::uint32_t version_mask = 0;
  std::uint64_t protocol_errors = 0;  // unreadable lines and refused requests
  std::string last_error;             // remote text escaped
};

struct SimFleetTotals {
  std::size_t miners = 0;
  std::size_t connected = 0;
  std::size_t authorized = 0;
  std::size_t with_job = 0;
  std::uint64_t hashes = 0;
  std::uint64_t hashes_missed = 0;
  std::uint64_t shares_submitted = 0;
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;
  std::uint64_t jobs = 0;
};

class SimFleet {
 public:
  // Checks the specs (each needs a user and a positive finite hashrate), picks the scanner and
  // starts connecting every miner to host:port. A miner that cannot connect keeps retrying
  // (reconnect_backoff) when reconnect_on_drop is set.
  static Result<std::unique_ptr<SimFleet>> start(std::string host, std::uint16_t port,
                                                 std::vector<SimMinerSpec> miners,
                                                 SimFleetOptions options = {});
  ~SimFleet();
  SimFleet(const SimFleet&) = delete;
  SimFleet& operator=(const SimFleet&) = delete;

  // Closes every connection and joins the io thread; idempotent.
  void stop();
  // Thread-safe snapshots, in the order of the specs.
  std::vector<SimMinerStats> stats() const;
  SimMinerStats stats(std::size_t miner) const;
  SimFleetTotals totals() const;
  std::size_t connected() const;  // miners whose TCP connection is open
  std::size_t size() const;
  std::string scanner_name() const;

 private:
  struct Impl;
  explicit SimFleet(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::test
