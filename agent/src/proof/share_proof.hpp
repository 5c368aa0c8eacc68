// What a verifier needs to re-hash one share (DESIGN §6): the job it was found on (stored once,
// referenced by every share of that job) and the share itself. Times are UTC milliseconds.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/hex.hpp"

namespace ih::proof {

using stratum::Bytes;

struct ProofJob {
  std::string pool_url;  // secrets masked
  std::string worker;    // the user the share was submitted as
  std::string job_id;
  Hash256 prevhash_notify{};  // as the pool sent it (word-swapped)
  Bytes coinb1;
  Bytes coinb2;
  std::vector<Hash256> merkle_branch;
  std::uint32_t version = 0;  // the job's version, before rolling
  std::uint32_t version_mask = 0;
  std::uint32_t nbits = 0;
  Bytes extranonce1;

  bool operator==(const ProofJob&) const = default;
};

enum class Verdict : std::uint8_t { accepted = 1, rejected = 2 };

struct ShareProof {
  std::size_t job = 0;  // index into the owning ProofSet's jobs
  Header80 header{};    // exactly as hashed
  Bytes extranonce2;
  double share_difficulty = 0;  // the pool's difficulty when the share was found
  Verdict verdict = Verdict::accepted;
  std::int64_t time_ms = 0;  // when it was found (UTC)
};

// Shares with the jobs they reference.
struct ProofSet {
  std::vector<ProofJob> jobs;
  std::vector<ShareProof> shares;
};

// The difficulty a proof is credited with: the higher of the pool's share difficulty and the
// proof difficulty it was recorded under (only hashes reaching both were kept).
inline double credited_difficulty(const ShareProof& share, double proof_difficulty) {
  return share.share_difficulty > proof_difficulty ? share.share_difficulty : proof_difficulty;
}

}  // namespace ih::proof
