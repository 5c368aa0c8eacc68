// Genuine share proofs for tests and benchmarks: a synthetic job, shares found by hashing
// with the reference sha256d, and a report of them signed by a fresh key.
#pragma once

#include <cstdint>
#include <random>
#include <string>

#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "proof/report.hpp"
#include "proof/share_proof.hpp"

namespace ih::proof::fixture {

inline ProofJob synthetic_job(std::uint64_t seed, std::string worker = "sn89auction.hk.w1",
                              std::size_t branch = 11) {
  std::mt19937_64 rng(seed);
  auto bytes = [&](std::size_t n) {
    Bytes b(n);
    for (auto& x : b) x = static_cast<std::uint8_t>(rng());
    return b;
  };
  ProofJob job;
  job.pool_url = "stratum+tcp://127.0.0.1:3333";
  job.worker = std::move(worker);
  job.job_id = "job" + std::to_string(seed);
  for (auto& x : job.prevhash_notify) x = static_cast<std::uint8_t>(rng());
  // A real coinbase: version, one null input whose script carries the pool tag, one output.
  job.coinb1 = {1, 0, 0, 0, 1};
  job.coinb1.insert(job.coinb1.end(), 32, 0);
  job.coinb1.insert(job.coinb1.end(), 4, 0xff);
  const std::string tag = "/ih-test-pool/";
  job.coinb1.push_back(static_cast<std::uint8_t>(tag.size() + 8));  // script length
  job.coinb1.insert(job.coinb1.end(), tag.begin(), tag.end());
  job.coinb2 = {0xff, 0xff, 0xff, 0xff, 1};  // sequence, one output
  const Bytes value = {0x00, 0xf2, 0x05, 0x2a, 0x01, 0, 0, 0};
  job.coinb2.insert(job.coinb2.end(), value.begin(), value.end());
  const Bytes script = {0x00, 0x14, 1,  2,  3,  4,  5,  6,  7,  8,  9,
                        10,   11,   12, 13, 14, 15, 16, 17, 18, 19, 20};
  job.coinb2.push_back(static_cast<std::uint8_t>(script.size()));
  job.coinb2.insert(job.coinb2.end(), script.begin(), script.end());
  job.coinb2.insert(job.coinb2.end(), 4, 0);  // lock time
  for (std::size_t i = 0; i < branch; ++i) {
    Hash256 h{};
    for (auto& x : h) x = static_cast<std::uint8_t>(rng());
    job.merkle_branch.push_back(h);
  }
  job.version = 0x20000000;
  job.version_mask = 0x1fffe000;
  job.nbits = 0x1703a30c;
  job.extranonce1 = bytes(4);
  return job;
}

inline const Bytes kFixturePayoutScript = {0x00, 0x14, 1,  2,  3,  4,  5,  6,  7,  8,  9,
                                           10,   11,   12, 13, 14, 15, 16, 17, 18, 19, 20};

// The first nonce from 0 whose header reaches `difficulty`, for extranonce2 = `n`.
inline ShareProof find_share(const ProofJob& job, std::size_t job_index, std::uint32_t n,
                             double difficulty, std::int64_t time_ms,
                             std::uint32_t version_bits = 0) {
  ShareProof s;
  s.job = job_index;
  s.extranonce2 = {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                   static_cast<std::uint8_t>(n >> 16), static_cast<std::uint8_t>(n >> 24)};
  const Bytes coinbase =
      stratum::build_coinbase(job.coinb1, job.extranonce1, s.extranonce2, job.coinb2);
  const Hash256 root = stratum::merkle_root(kernels::sha256d(coinbase), job.merkle_branch);
  const Uint256 target = *stratum::difficulty_to_target(difficulty);
  const std::uint32_t version = stratum::roll_version(job.version, version_bits, job.version_mask);
  for (std::uint32_t nonce = 0;; ++nonce) {
    s.header =
        stratum::build_header(version, job.prevhash_notify, root, 0x66000000 + n, job.nbits, nonce);
    if (!(Uint256::from_le_bytes(kernels::sha256d(s.header)) > target)) break;
  }
  s.share_difficulty = difficulty;
  s.time_ms = time_ms;
  return s;
}

// `count` shares spread over [start_ms, start_ms + span_ms) on `jobs` jobs.
inline ProofSet synthetic_proofs(std::size_t count, double difficulty, std::int64_t start_ms,
                                 std::int64_t span_ms, std::size_t jobs = 1,
                                 std::uint64_t seed = 1) {
  ProofSet set;
  for (std::size_t j = 0; j < jobs; ++j) set.jobs.push_back(synthetic_job(seed + j));
  for (std::size_t i = 0; i < count; ++i)
    set.shares.push_back(find_share(
        set.jobs[i % jobs], i % jobs, static_cast<std::uint32_t>(i), difficulty,
        start_ms + static_cast<std::int64_t>(i) * span_ms / static_cast<std::int64_t>(count)));
  return set;
}

}  // namespace ih::proof::fixture
