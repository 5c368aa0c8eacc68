#include "engine/share_gate.hpp"

#include <spdlog/spdlog.h>

#include "engine/work_slice.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "proof/utc_time.hpp"

namespace ih::agent {

ShareGate::ShareGate(Dispatcher& dispatcher, Ledger& ledger)
    : dispatcher_(dispatcher), ledger_(ledger) {}

void ShareGate::attach(PoolLink* pool) {
  std::lock_guard lock(mutex_);
  pool_ = pool;
}

void ShareGate::device_hardware_errors(std::size_t device, const DispatchedJob& job,
                                       std::uint64_t count) {
  for (std::uint64_t i = 0; i < count; ++i) ledger_.hardware_error(device, job.job.pool_index);
  if (count > 0)
    spdlog::warn(
        "device {}: {} hardware error(s): the device reported nonces whose CPU re-check "
        "failed (job {})",
        device, count, job.job.fields.job_id);
}

GateVerdict ShareGate::process(const Candidate& c) {
  const stratum::Job& job = c.job->job;
  const Header80 header = share_header(job, c.extranonce2, c.version_bits, c.nonce);
  const Hash256 hash = kernels::sha256d(header);
  const Uint256 value = Uint256::from_le_bytes(hash);
  // Scanners report every nonce whose top word passes; one whose top word fails is wrong math.
  if (value.limbs[7] > job.share_target.limbs[7]) {
    ledger_.hardware_error(c.device, job.pool_index);
    spdlog::warn("device {}: hardware error: nonce {:08x} of job {} does not meet the target",
                 c.device, c.nonce, job.fields.job_id);
    return GateVerdict::hardware_error;
  }
  if (value > job.share_target) {
    ledger_.near_miss(c.device);
    return GateVerdict::near_miss;
  }
  const GateVerdict verdict = submit_checked(c, header, stratum::share_difficulty(hash));
  if (verdict == GateVerdict::submitted && on_submitted_) on_submitted_();
  return verdict;
}

// A real share of the job: sent unless it is a duplicate or stale.
GateVerdict ShareGate::submit_checked(const Candidate& c, const Header80& header,
                                      double difficulty) {
  const stratum::Job& job = c.job->job;
  std::lock_guard lock(mutex_);
  if (job.epoch != seen_epoch_) {
    if (job.epoch > seen_epoch_) {
      seen_.clear();
      seen_epoch_ = job.epoch;
    }
  }
  ShareKey key{job.epoch,        job.fields.job_id, c.extranonce2,
               job.fields.ntime, c.nonce,           c.version_bits};
  if (!seen_.insert(key).second) {
    ledger_.duplicate(c.device);
    spdlog::warn("device {}: duplicate share nonce {:08x} of job {} dropped", c.device, c.nonce,
                 job.fields.job_id);
    return GateVerdict::duplicate;
  }
  if (job.epoch < dispatcher_.epoch() || pool_ == nullptr) {
    ledger_.stale(c.device, job.pool_index, difficulty);
    spdlog::debug("device {}: stale share of job {} not sent", c.device, job.fields.job_id);
    return GateVerdict::stale;
  }
  stratum::Share share;
  share.job_id = job.fields.job_id;
  share.extranonce2 = c.extranonce2;
  share.ntime = job.fields.ntime;
  share.nonce = c.nonce;
  share.version_bits = c.version_bits;
  share.epoch = job.epoch;
  const std::uint64_t id = pool_->submit(share);
  if (share_sent_) share_sent_(id, {c.job, header, c.extranonce2, difficulty, proof::utc_now_ms()});
  ledger_.submitted(id, c.device, job.pool_index, difficulty);
  return GateVerdict::submitted;
}

}  // namespace ih::agent
