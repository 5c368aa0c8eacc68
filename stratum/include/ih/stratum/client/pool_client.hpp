// The mining engine's view of the pool(s): jobs in, shares out, results back.
// asio and OpenSSL stay behind the pimpl; events arrive on the client's own I/O thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ih/kernels/uint256.hpp"
#include "ih/stratum/client/pool_health.hpp"
#include "ih/stratum/client/watchdog_options.hpp"
#include "ih/stratum/protocol/header.hpp"

namespace ih::stratum {

struct PoolEndpoint {
  std::string url;   // stratum+tcp://host:port, stratum+ssl://host:port (or stratum+tls://)
  std::string user;  // worker name sent in mining.authorize and mining.submit
  std::string password;
  std::vector<std::string> extra_users;  // more workers authorized on the same connection
  // This pool's own settings; empty / false / 0: PoolClientOptions' value applies.
  std::string tls_ca{};           // extra CA bundle (PEM) beside the system store
  bool tls_insecure = false;      // no certificate verification at all (warns)
  std::string tls_fingerprint{};  // SHA-256 of the leaf cert (DER), 64 lower-case hex: pins it
  double suggest_difficulty = 0;  // > 0: mining.suggest_difficulty before authorize
};

struct PoolClientOptions {
  std::vector<PoolEndpoint> pools;  // failover order: [0] is the primary
  // Defaults for every pool (PoolEndpoint's own settings win).
  std::string ca_file;          // extra CA bundle for TLS pools (--pool-ca)
  bool insecure_tls = false;    // --pool-insecure: skip certificate verification (warns)
  bool version_rolling = true;  // ask for BIP 310 version rolling
  std::uint32_t version_mask = 0x1fffe000;
  double suggest_difficulty = 0;  // > 0: send mining.suggest_difficulty (before authorize)
  // Durations are milliseconds so tests can run them short; assigning seconds still works.
  std::chrono::milliseconds keepalive{std::chrono::seconds(180)};  // silent this long -> reconnect
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};  // a request fails after
  // Back to the primary once it stays up this long (probed beside the backup in use).
  std::chrono::milliseconds primary_healthy_for{std::chrono::seconds(300)};
  std::string user_agent = "infinite-hashes/0.1";
  bool extranonce_subscribe = false;  // send mining.extranonce.subscribe (NiceHash and others)
  bool follow_redirects = false;      // client.reconnect may move us to another host
  // Reconnect back-off: doubles from initial up to max, with +-25 % jitter.
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(1)};
  std::chrono::milliseconds backoff_max{std::chrono::seconds(60)};
  PoolWatchdog watchdog;  // dead-pool detection: no job, stale or invalid jobs, stuck handshake
};

// A job as the engine needs it: the notify fields plus the session state when it arrived.
struct Job {
  JobFields fields;
  Bytes extranonce1;
  std::size_t extranonce2_size = 0;
  double difficulty = 1;           // share difficulty that applies to this job
  Uint256 share_target;            // difficulty_to_target(difficulty)
  std::uint32_t version_mask = 0;  // negotiated mask; 0 when rolling is off
  std::size_t pool_index = 0;      // which entry of PoolClientOptions::pools sent it
  // Bumped when older work becomes worthless: clean_jobs, a new prevhash, new extranonce1,
  // a reconnect. Shares of an older epoch are stale and are never sent.
  std::uint64_t epoch = 0;
};

// What a found share submits (mining.submit params besides the worker name).
struct Share {
  std::string job_id;
  Bytes extranonce2;
  std::uint32_t ntime = 0;
  std::uint32_t nonce = 0;
  std::uint32_t version_bits = 0;  // rolled_version & mask; sent as the 6th param when rolling
  std::uint64_t epoch = 0;         // Job::epoch of the job it was found on
  std::string worker;              // empty: the pool's user
};

enum class SubmitOutcome { accepted, rejected, stale, timed_out };

struct SubmitResult {
  std::uint64_t share_id = 0;  // what submit() returned
  SubmitOutcome outcome = SubmitOutcome::rejected;
  std::string reason;  // pool's reject reason, or why it was stale / timed out
  std::chrono::milliseconds latency{0};
  std::size_t pool_index = 0;
};

struct PoolEvents {
  std::function<void(const Job&)> on_job;
  std::function<void(const SubmitResult&)> on_submit_result;
  // connected=true once subscribed and authorized; false for each failed attempt or lost link.
  std::function<void(std::size_t pool_index, bool connected, std::string_view reason)>
      on_connection;
  std::function<void(std::string_view text)> on_pool_message;  // client.show_message
  // Each change of a pool's health (why it failed, or that it works again); for /health.
  std::function<void(const PoolHealth&)> on_health;
};

class PoolClient {
 public:
  PoolClient(PoolClientOptions options, PoolEvents events);
  ~PoolClient();
  PoolClient(const PoolClient&) = delete;
  PoolClient& operator=(const PoolClient&) = delete;

  void start();  // connects and runs the I/O thread
  void stop();   // closes the connection and joins the thread; pending shares time out

  // Thread-safe. Every call ends in exactly one on_submit_result with the returned id.
  // A share of a stale epoch is not sent: its result is `stale` straight away. (Only a call
  // made while the client is stopped reports on the calling thread.)
  std::uint64_t submit(const Share& share);
  std::size_t pending_submits() const;
  // Thread-safe: sends mining.suggest_difficulty on the active pool (and after reconnects).
  void suggest_difficulty(double difficulty);
  // Thread-safe: authorizes one more worker name on every session (now and after reconnects),
  // so Share::worker may name it.
  void add_worker(std::string name);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::stratum
