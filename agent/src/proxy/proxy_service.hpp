// `infinite-hashes proxy` at run time: a downstream Stratum V1 server for ASICs, one stratum
// client per upstream pool, the extranonce split between them, every downstream share re-checked
// (by the shared server session) before it is forwarded, per-worker vardiff, and the router's
// assignment of whole workers to pools, re-run every rebalance interval and on reload.
// Everything runs on one I/O thread; asio stays in proxy_service.cpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "ih/result.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_status.hpp"

namespace ih::proxy {

// A share the upstream pool answered (for proofs and reports).
struct ForwardedShare {
  std::string pool_url;
  std::string upstream_worker;    // the name the pool saw
  std::string downstream_worker;  // the name the miner authorized with
  stratum::JobFields job;
  stratum::Bytes extranonce1;  // upstream's
  stratum::Bytes extranonce2;  // prefix || the miner's
  Header80 header;
  Hash256 hash{};
  std::size_t extranonce2_size = 0;  // the pool's
  std::uint32_t version_mask = 0;    // negotiated with the pool
  double difficulty = 0;             // the upstream share difficulty
  std::int64_t found_ms = 0;         // UTC, when the miner sent it
  bool accepted = false;
  std::string reason;
};

struct ProxyOptions {
  std::string host = "0.0.0.0";
  std::uint16_t port = 3333;  // 0: any free port (see ProxyService::port())
  ProxyConfig config;
  double shares_per_minute = 20;        // per-worker vardiff aims here
  double initial_difficulty = 1024;     // never above the upstream pool's
  double min_difficulty = 1.0 / 65536;  // what minimum-difficulty / suggestions cannot go under
  std::chrono::milliseconds tick{250};  // vardiff and housekeeping
  // Upstream client timings (defaults from [routing]; tests shorten them).
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(1)};
  std::chrono::milliseconds backoff_max{std::chrono::seconds(30)};
  std::function<void(const ForwardedShare&)> on_forwarded;  // on the proxy's I/O thread
};

class ProxyService {
 public:
  // Binds and starts: errors (address in use, a config that cannot work) come back here.
  static Result<std::unique_ptr<ProxyService>> start(ProxyOptions options);
  ~ProxyService();
  ProxyService(const ProxyService&) = delete;
  ProxyService& operator=(const ProxyService&) = delete;

  std::uint16_t port() const;
  // Applies a new config without dropping a downstream connection: pools kept by name, new
  // ones connected, removed ones drained (their workers move first). Thread-safe.
  void reload(ProxyConfig config);
  // Runs the router now (also runs every rebalance interval). Thread-safe.
  void rebalance();
  ProxyStatus status() const;  // thread-safe copy
  // CPU seconds the proxy's one I/O thread has used (for the scale benchmark).
  double io_thread_cpu_seconds() const;
  void stop();

 private:
  struct Impl;
  explicit ProxyService(std::shared_ptr<Impl> impl);
  std::shared_ptr<Impl> impl_;
};

}  // namespace ih::proxy
