// What a scanner needs to hash one header template, and nothing more (DESIGN §1).
#pragma once

#include <array>
#include <cstdint>

#include "ih/kernels/sha256.hpp"
#include "ih/kernels/uint256.hpp"

namespace ih::kernels {

struct Work {
  Sha256State midstate{};  // state after header bytes 0..63 (version included)
  std::array<std::uint32_t, 3>
      tail{};      // header bytes 64..75 as big-endian words: W0..W2 of block 2
  Uint256 target;  // share target
};

// Builds the work for a header; its nonce bytes (76..79) are ignored.
Work make_work(const Header80& header, const Uint256& target);

// The header's nonce field (bytes 76..79, little-endian).
void set_header_nonce(Header80& header, std::uint32_t nonce);
std::uint32_t header_nonce(const Header80& header);

// Reference hash of work at one nonce: what every scanner must agree with.
Hash256 reference_hash(const Work& work, std::uint32_t nonce);

}  // namespace ih::kernels
