#include "cli/proxy_proofs.hpp"

#include "ih/kernels/uint256.hpp"
#include "ih/stratum/protocol/target.hpp"

namespace ih::agent {

SettledShare settled_from_forwarded(const proxy::ForwardedShare& f) {
  auto dispatched = std::make_shared<DispatchedJob>();
  stratum::Job& job = dispatched->job;
  job.fields = f.job;
  job.extranonce1 = f.extranonce1;
  job.extranonce2_size = f.extranonce2_size;
  job.difficulty = f.difficulty;
  if (auto target = stratum::difficulty_to_target(f.difficulty)) job.share_target = *target;
  job.version_mask = f.version_mask;
  SettledShare out;
  out.share.job = std::move(dispatched);
  out.share.header = f.header;
  out.share.extranonce2 = f.extranonce2;
  out.share.achieved_difficulty = stratum::share_difficulty(f.hash);
  out.share.found_ms = f.found_ms;
  out.pool_url = f.pool_url;
  out.worker = f.upstream_worker;
  out.result.outcome =
      f.accepted ? stratum::SubmitOutcome::accepted : stratum::SubmitOutcome::rejected;
  out.result.reason = f.reason;
  return out;
}

}  // namespace ih::agent
