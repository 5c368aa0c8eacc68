// When a pool counts as failed although its socket is up: no job, stale jobs, invalid jobs, a
// stuck handshake, unanswered or rejected submits. Durations are milliseconds so tests can run
// them short; assigning seconds still works. Defaults are documented in README "Dead pools".
#pragma once

#include <chrono>
#include <cstddef>

namespace ih::stratum {

struct PoolWatchdog {
  // configure/subscribe/authorize must be answered this soon after the connection is up.
  std::chrono::milliseconds handshake_timeout{std::chrono::seconds(10)};
  // --pool-job-timeout: a valid mining.notify must arrive this soon after authorize.
  std::chrono::milliseconds job_timeout{std::chrono::seconds(30)};
  // --pool-stale-after: no mining.notify for this long and the pool's work is dead.
  std::chrono::milliseconds stale_after{std::chrono::minutes(5)};
  // This many mining.notify in a row that fail validation fail the pool.
  unsigned max_invalid_jobs = 3;
  // A session resets the back-off only after a valid job and holding this long.
  std::chrono::milliseconds healthy_after{std::chrono::seconds(60)};
  // K: this many submits in a row without a reply within request_timeout (T) fail the pool.
  unsigned max_unanswered_submits = 5;
  // This many rejects in a row with no accept: reported loudly (the session goes on).
  unsigned reject_alarm_after = 10;
  // --pool-max-reject-ratio: above this share of rejects among the last reject_window results
  // the pool is failed over; 0 turns it off.
  double max_reject_ratio = 0;
  std::size_t reject_window = 20;
  // Repeated protocol warnings per connection: the first few, then a count every interval.
  std::size_t warning_burst = 5;
  std::chrono::milliseconds warning_interval{std::chrono::seconds(10)};
};

}  // namespace ih::stratum
