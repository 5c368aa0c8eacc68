// Job -> block header: coinbase, merkle root, 80-byte header, version rolling (DESIGN §4).
// Pure byte math: no JSON, no sockets.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "ih/kernels/sha256.hpp"
#include "ih/result.hpp"
#include "ih/stratum/protocol/hex.hpp"

namespace ih::stratum {

// The fields of a mining.notify that shape the header, decoded and validated.
struct JobFields {
  std::string job_id;
  Hash256 prevhash_notify{};  // as sent: eight 4-byte words, each byte-swapped
  Bytes coinb1;
  Bytes coinb2;
  std::vector<Hash256> merkle_branch;  // internal byte order
  std::uint32_t version = 0;
  std::uint32_t nbits = 0;
  std::uint32_t ntime = 0;
  bool clean_jobs = false;
};

// Decodes notify's hex fields with full validation (the prevhash and branch entries must be
// 32 bytes, version/nbits/ntime 4 bytes). At most kMaxMerkleBranch branch entries.
inline constexpr std::size_t kMaxMerkleBranch = 32;
Result<JobFields> decode_job_fields(std::string job_id, std::string_view prevhash,
                                    std::string_view coinb1, std::string_view coinb2,
                                    std::span<const std::string> merkle_branch,
                                    std::string_view version, std::string_view nbits,
                                    std::string_view ntime, bool clean_jobs);

// coinb1 || extranonce1 || extranonce2 || coinb2.
Bytes build_coinbase(std::span<const std::uint8_t> coinb1,
                     std::span<const std::uint8_t> extranonce1,
                     std::span<const std::uint8_t> extranonce2,
                     std::span<const std::uint8_t> coinb2);

// root = sha256d(coinbase); root = sha256d(root || branch[i]) for each branch entry.
Hash256 merkle_root(const Hash256& coinbase_hash, std::span<const Hash256> branch);

// The notify prevhash word-swapped into header byte order.
Hash256 prevhash_to_header_order(const Hash256& prevhash_notify);

// BIP 310: the job's version with the bits under `mask` replaced by `rolled_bits`.
inline std::uint32_t roll_version(std::uint32_t job_version, std::uint32_t rolled_bits,
                                  std::uint32_t mask) {
  return (job_version & ~mask) | (rolled_bits & mask);
}

// version || prevhash || merkle root || ntime || nbits || nonce, integers little-endian.
Header80 build_header(std::uint32_t version, const Hash256& prevhash_notify, const Hash256& merkle,
                      std::uint32_t ntime, std::uint32_t nbits, std::uint32_t nonce);

// The whole path from a job and a share's submit fields to the header it claims.
struct ShareFields {
  Bytes extranonce1;
  Bytes extranonce2;
  std::uint32_t ntime = 0;
  std::uint32_t nonce = 0;
  std::uint32_t version_bits = 0;  // the rolled bits as submitted (6th param); 0 without rolling
  std::uint32_t version_mask = 0;  // the negotiated mask; 0 without rolling
};
Header80 header_for_share(const JobFields& job, const ShareFields& share);

}  // namespace ih::stratum
