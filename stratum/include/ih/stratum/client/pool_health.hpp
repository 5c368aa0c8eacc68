// Why a pool is or is not usable: the client reports it per pool (PoolEvents::on_health) so the
// console and the status endpoint's /health can say what is wrong, not only that it is.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

namespace ih::stratum {

enum class PoolHealthReason {
  connecting,          // no attempt has finished yet
  healthy,             // authorized, delivering valid jobs, held for healthy_after
  mining,              // authorized with a valid job, not yet held long enough to count
  connect_failed,      // DNS, TCP or TLS failed
  handshake_timeout,   // subscribe/authorize not answered within handshake_timeout
  handshake_refused,   // subscribe or authorize answered with an error
  no_job,              // authorized but no valid job within job_timeout
  jobs_stale,          // no mining.notify for stale_after
  invalid_jobs,        // max_invalid_jobs mining.notify in a row failed validation
  dropped_early,       // the connection ended before the session counted as healthy
  disconnected,        // a healthy session ended; reconnecting
  redirect_loop,       // client.reconnect to the same host and port again
  submits_unanswered,  // none of the last max_unanswered_submits got a reply in time
  rejects_shares,      // rejects every share, or more than max_reject_ratio of them
  protocol_error,      // a line over the size limit and the like
};

// A stable lower_snake_case name ("no_job") for JSON and metrics.
std::string_view pool_health_name(PoolHealthReason reason);
// A failure reason makes the pool give way to the next one; healthy/mining/connecting do not.
bool is_failure(PoolHealthReason reason);

struct PoolHealth {
  std::size_t pool = 0;  // index into PoolClientOptions::pools
  PoolHealthReason reason = PoolHealthReason::connecting;
  std::string detail;                     // readable, already escaped (remote bytes never raw)
  unsigned failures = 0;                  // failed sessions in a row (back-off grows with them)
  std::chrono::milliseconds retry_in{0};  // next attempt after a failure
};

}  // namespace ih::stratum
