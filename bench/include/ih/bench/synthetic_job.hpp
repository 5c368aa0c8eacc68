// The deterministic job a benchmark hashes: the same seed gives the same bytes on every machine.
#pragma once

#include <cstdint>

#include "ih/kernels/sha256.hpp"
#include "ih/kernels/uint256.hpp"

namespace ih::bench {

// A header template derived from the seed (its nonce bytes are zero).
Header80 synthetic_header(std::uint64_t seed);

// The fixed, seed-derived nonce range and easy target over which the verifiable digest is taken.
struct DigestRange {
  std::uint32_t first_nonce = 0;
  std::uint32_t count = 0;
  Uint256 target;  // limb 7 = 0x00ffffff, all lower bits set: about 1 nonce in 256 qualifies
};
DigestRange digest_range(std::uint64_t seed);

}  // namespace ih::bench
