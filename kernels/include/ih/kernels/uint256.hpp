// 256-bit unsigned integer for share targets and hash values (Bitcoin compares hashes as
// little-endian integers: byte 31 of the digest is the most significant).
#pragma once

#include <array>
#include <compare>
#include <cstdint>
#include <string>

#include "ih/kernels/sha256.hpp"

namespace ih {

struct Uint256 {
  // limbs[0] is least significant.
  std::array<std::uint32_t, 8> limbs{};

  static Uint256 from_le_bytes(const Hash256& bytes);
  static Uint256 max();
  Hash256 to_le_bytes() const;
  // 64 hex digits, most significant first (the way block explorers print hashes).
  std::string to_hex() const;
  double to_double() const;
  bool is_zero() const;

  friend bool operator==(const Uint256&, const Uint256&) = default;
  friend std::strong_ordering operator<=>(const Uint256& a, const Uint256& b) {
    for (int i = 7; i >= 0; --i)
      if (a.limbs[i] != b.limbs[i]) return a.limbs[i] <=> b.limbs[i];
    return std::strong_ordering::equal;
  }
};

// Adds one (wrapping); handy for boundary tests and target arithmetic.
Uint256 increment(Uint256 value);

// True when the digest, read as a little-endian integer, is <= target.
bool hash_meets_target(const Hash256& hash, const Uint256& target);

}  // namespace ih
