// The built-in local pool: a Stratum V1 server on loopback with synthetic jobs, vardiff and
// full share verification. `mine` without -o runs it in-process; `pool` runs it standalone.
// asio stays in local_pool.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "ih/result.hpp"
#include "ih/stratum/server/server_session.hpp"

namespace ih::agent::local_pool {

struct LocalPoolOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;                         // 0: any free port (see LocalPool::port())
  stratum::server::ServerOptions session;         // the same server session the proxy uses
  std::chrono::milliseconds job_interval{30000};  // a new block (clean job) this often
  std::uint64_t seed = 0;                         // 0: random
  std::size_t extranonce2_size = 4;               // what mining.subscribe offers
};

struct LocalPoolStats {
  std::uint64_t accepted = 0;
  std::uint64_t rejected = 0;  // stale ones not included
  std::uint64_t stale = 0;     // shares for a job that was gone (code 21)
  std::map<std::string, std::uint64_t> reject_reasons;
  std::uint64_t jobs = 0;
  std::size_t connections = 0;
};

class LocalPool {
 public:
  static Result<std::unique_ptr<LocalPool>> start(LocalPoolOptions options);
  ~LocalPool();
  LocalPool(const LocalPool&) = delete;
  LocalPool& operator=(const LocalPool&) = delete;

  std::uint16_t port() const;
  std::string url() const;   // stratum+tcp://host:port
  void new_job(bool clean);  // thread-safe; also happens every job_interval
  LocalPoolStats stats() const;
  void stop();

 private:
  struct Impl;
  explicit LocalPool(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::agent::local_pool
