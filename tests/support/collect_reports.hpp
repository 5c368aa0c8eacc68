// Signed window reports for the collector's tests and benchmark: jobs as the built-in local pool
// deals them (local_pool::SyntheticJobs), shares found on them with the reference sha256d, and
// reports of those shares built and signed by the proof library.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "ih/kernels/uint256.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "local_pool/synthetic_job.hpp"
#include "proof/report.hpp"

namespace ih::test {

// The pool's next job, as the proof store records it for `worker`; `branch` pads the merkle
// branch to a mainnet-like length (the local pool sends 1 to 3 entries).
inline proof::ProofJob pool_job(agent::local_pool::SyntheticJobs& jobs, const std::string& worker,
                                std::uint64_t extranonce1, std::size_t branch = 0) {
  const stratum::JobFields f = jobs.next(true);
  proof::ProofJob job;
  job.pool_url = "stratum+tcp://127.0.0.1:3333";
  job.worker = worker;
  job.job_id = f.job_id;
  job.prevhash_notify = f.prevhash_notify;
  job.coinb1 = f.coinb1;
  job.coinb2 = f.coinb2;
  job.merkle_branch = f.merkle_branch;
  std::mt19937_64 rng(extranonce1);
  while (job.merkle_branch.size() < branch) {
    Hash256 h{};
    for (auto& b : h) b = static_cast<std::uint8_t>(rng());
    job.merkle_branch.push_back(h);
  }
  job.version = f.version;
  job.version_mask = agent::local_pool::kServerVersionMask;
  job.nbits = f.nbits;
  for (std::size_t i = 0; i < agent::local_pool::kExtranonce1Size; ++i)
    job.extranonce1.push_back(static_cast<std::uint8_t>(extranonce1 >> (8 * i)));
  return job;
}

// Mines a share of `difficulty` on `job` (index `job_index` in its set) with extranonce2 `n`.
inline proof::ShareProof mine_share(const proof::ProofJob& job, std::size_t job_index,
                                    std::uint32_t n, double difficulty, std::int64_t time_ms) {
  proof::ShareProof s;
  s.job = job_index;
  for (int i = 0; i < 4; ++i) s.extranonce2.push_back(static_cast<std::uint8_t>(n >> (8 * i)));
  const stratum::Bytes coinbase =
      stratum::build_coinbase(job.coinb1, job.extranonce1, s.extranonce2, job.coinb2);
  const Hash256 root = stratum::merkle_root(kernels::sha256d(coinbase), job.merkle_branch);
  const Uint256 target = *stratum::difficulty_to_target(difficulty);
  const auto ntime = static_cast<std::uint32_t>(time_ms / 1000);
  for (std::uint32_t nonce = 0;; ++nonce) {
    s.header =
        stratum::build_header(job.version, job.prevhash_notify, root, ntime, job.nbits, nonce);
    if (!(Uint256::from_le_bytes(kernels::sha256d(s.header)) > target)) break;
  }
  s.share_difficulty = difficulty;
  s.time_ms = time_ms;
  return s;
}

// `count` shares spread evenly over [start_ms, end_ms), `per_job` per job.
inline proof::ProofSet mine_window(agent::local_pool::SyntheticJobs& jobs,
                                   const std::string& worker, std::uint64_t extranonce1,
                                   std::size_t count, double difficulty, std::int64_t start_ms,
                                   std::int64_t end_ms, std::size_t per_job = 50,
                                   std::size_t branch = 0) {
  proof::ProofSet set;
  for (std::size_t i = 0; i < count; ++i) {
    if (i % per_job == 0) set.jobs.push_back(pool_job(jobs, worker, extranonce1, branch));
    const auto t = start_ms + static_cast<std::int64_t>(i) * (end_ms - start_ms) /
                                  static_cast<std::int64_t>(count);
    set.shares.push_back(mine_share(set.jobs.back(), set.jobs.size() - 1,
                                    static_cast<std::uint32_t>(i), difficulty, t));
  }
  return set;
}

inline std::string signed_report(const proof::ProofSet& proofs, std::int64_t start_ms,
                                 std::int64_t end_ms, double difficulty,
                                 const proof::Signer& signer) {
  const proof::WindowReport r =
      proof::build_report(proofs, start_ms, end_ms, difficulty, "infinite-hashes test", signer);
  return proof::signed_report_file(r, signer);
}

}  // namespace ih::test
