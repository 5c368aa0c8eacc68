#include "ih/stratum/client/pool_health.hpp"

namespace ih::stratum {

std::string_view pool_health_name(PoolHealthReason reason) {
  switch (reason) {
    case PoolHealthReason::connecting:
      return "connecting";
    case PoolHealthReason::healthy:
      return "healthy";
    case PoolHealthReason::mining:
      return "mining";
    case PoolHealthReason::connect_failed:
      return "connect_failed";
    case PoolHealthReason::handshake_timeout:
      return "handshake_timeout";
    case PoolHealthReason::handshake_refused:
      return "handshake_refused";
    case PoolHealthReason::no_job:
      return "no_job";
    case PoolHealthReason::jobs_stale:
      return "jobs_stale";
    case PoolHealthReason::invalid_jobs:
      return "invalid_jobs";
    case PoolHealthReason::dropped_early:
      return "dropped_early";
    case PoolHealthReason::disconnected:
      return "disconnected";
    case PoolHealthReason::redirect_loop:
      return "redirect_loop";
    case PoolHealthReason::submits_unanswered:
      return "submits_unanswered";
    case PoolHealthReason::rejects_shares:
      return "rejects_shares";
    case PoolHealthReason::protocol_error:
      return "protocol_error";
  }
  return "unknown";
}

bool is_failure(PoolHealthReason reason) {
  return reason != PoolHealthReason::connecting && reason != PoolHealthReason::healthy &&
         reason != PoolHealthReason::mining && reason != PoolHealthReason::disconnected;
}

}  // namespace ih::stratum
