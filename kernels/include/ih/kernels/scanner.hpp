// The one interface every nonce-scanning kernel implements (DESIGN §3).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "ih/kernels/work.hpp"

namespace ih::kernels {

// Nonces a scanner reports. Capacity is reserved up front so the hot loop does not allocate
// at mining difficulty; at test difficulty it may grow.
struct Candidates {
  std::vector<std::uint32_t> nonces;
  Candidates() { nonces.reserve(64); }
};

// Contract: scan() hashes the `count` nonces first_nonce, first_nonce + 1, ... (wrapping at
// 2^32) and appends every nonce whose sha256d's most significant 32 bits (hash limb 7) are
// <= target limb 7: a superset of the shares, confirmed with the reference by the caller.
// Returns hashes done (== count). Scanners never log, never throw, hold no global state.
class Scanner {
 public:
  virtual ~Scanner() = default;
  virtual std::string_view name() const = 0;
  virtual unsigned lanes() const = 0;  // nonces hashed side by side
  virtual std::uint64_t scan(const Work& work, std::uint32_t first_nonce, std::uint32_t count,
                             Candidates& out) = 0;
};

}  // namespace ih::kernels
