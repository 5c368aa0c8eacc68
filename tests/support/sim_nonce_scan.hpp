// The work of one simulated miner: the real 80-byte header built from the current job and
// session (coinb1 || extranonce1 || extranonce2 || coinb2 -> merkle root -> header with the
// rolled version), scanned nonce by nonce with a kernel scanner. When the nonce range is spent it
// rolls the next version (within the negotiated mask), then the next extranonce2.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ih/kernels/scanner.hpp"
#include "ih/kernels/uint256.hpp"
#include "ih/kernels/work.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/hex.hpp"

namespace ih::test::sim {

// What shapes the header besides the nonce.
struct WorkSource {
  stratum::JobFields job;
  stratum::Bytes extranonce1;
  std::size_t extranonce2_size = 4;
  std::uint32_t version_mask = 0;  // 0: no version rolling
};

// A header that meets the share target, as mining.submit needs it.
struct FoundShare {
  std::string job_id;
  stratum::Bytes extranonce2;
  std::uint32_t ntime = 0;
  std::uint32_t nonce = 0;
  std::optional<std::uint32_t> version_bits;  // rolled version & mask, when rolling
};

// `value`'s low bits scattered into the set bits of `mask`, lowest first (a software pdep).
std::uint32_t deposit_bits(std::uint64_t value, std::uint32_t mask);

class NonceScan {
 public:
  // Starts on `source` at extranonce2 counter `extranonce2` and rolled-version counter
  // `version_step`, nonce 0.
  void start(WorkSource source, const Uint256& target, std::uint64_t extranonce2,
             std::uint64_t version_step);
  void set_target(const Uint256& target);
  bool active() const { return active_; }
  void stop() { active_ = false; }
  const WorkSource& source() const { return source_; }
  std::uint64_t extranonce2_counter() const { return extranonce2_; }

  // Hashes up to `count` nonces (fewer at the end of a nonce range) and appends the shares.
  // Returns the hashes done.
  std::uint64_t scan(kernels::Scanner& scanner, std::uint64_t count,
                     std::vector<FoundShare>& shares);

 private:
  void build();    // header and kernel work for the current extranonce2 and version
  void advance();  // the nonce range is spent: next version, or next extranonce2

  WorkSource source_;
  Uint256 target_;
  bool active_ = false;
  std::uint64_t extranonce2_ = 0;
  std::uint64_t version_step_ = 0;
  std::uint64_t next_nonce_ = 0;  // 2^32: this header is spent
  stratum::Bytes extranonce2_bytes_;
  std::uint32_t version_bits_ = 0;
  kernels::Work work_;
  kernels::Candidates candidates_;
};

}  // namespace ih::test::sim
