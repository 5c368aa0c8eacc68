#include "cli/watchdog_flags.hpp"

#include <CLI/CLI.hpp>

namespace ih::agent {

void add_watchdog_flags(CLI::App& sub, WatchdogConfig& v) {
  sub.add_option("--pool-job-timeout", v.pool_job_timeout,
                 "Seconds after authorize for a first valid job; then the pool counts as failed")
      ->capture_default_str();
  sub.add_option("--pool-stale-after", v.pool_stale_after,
                 "Seconds without a new job (mining.notify) before the pool counts as failed")
      ->capture_default_str();
  sub.add_option("--pool-max-reject-ratio", v.pool_max_reject_ratio,
                 "Fail a pool over when it rejects more than this share of the last 20 results "
                 "(0..1; 0: never)")
      ->capture_default_str();
  sub.add_option("--pool-max-share-rate", v.pool_max_share_rate,
                 "Shares per second per pool at most: a lower pool difficulty is raised locally "
                 "(block candidates are always sent)")
      ->capture_default_str();
}

void apply_given_watchdog_flags(const CLI::App& sub, const WatchdogConfig& v,
                                WatchdogConfig& into) {
  if (sub.count("--pool-job-timeout")) into.pool_job_timeout = v.pool_job_timeout;
  if (sub.count("--pool-stale-after")) into.pool_stale_after = v.pool_stale_after;
  if (sub.count("--pool-max-reject-ratio")) into.pool_max_reject_ratio = v.pool_max_reject_ratio;
  if (sub.count("--pool-max-share-rate")) into.pool_max_share_rate = v.pool_max_share_rate;
}

}  // namespace ih::agent
