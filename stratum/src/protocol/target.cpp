#include "ih/stratum/protocol/target.hpp"

#include <cmath>
#include <limits>
#include <string>

namespace ih::stratum {

namespace {

// diff1 = 0xFFFF * 2^208.
constexpr double kDiff1 = 0xFFFF * 0x1p208;

__extension__ typedef unsigned __int128 u128;  // GCC and Clang on every 64-bit target

}  // namespace

Uint256 diff1_target() {
  Uint256 t;
  t.limbs[6] = 0xFFFF0000u;
  return t;
}

Result<Uint256> difficulty_to_target(double difficulty) {
  if (std::isnan(difficulty)) return make_error("difficulty is NaN");
  if (std::isinf(difficulty)) return make_error("difficulty is infinite");
  if (difficulty <= 0)
    return make_error("difficulty must be positive, got " + std::to_string(difficulty));

  // difficulty = m * 2^(e - 53) with m a 53-bit integer, so
  // target = 0xFFFF * 2^208 / difficulty = 0xFFFF * 2^(261 - e) / m, computed exactly.
  int e = 0;
  const double f = std::frexp(difficulty, &e);
  const auto m = static_cast<std::uint64_t>(std::ldexp(f, 53));
  const int shift = 261 - e;
  if (shift < 0) return make_error("difficulty " + std::to_string(difficulty) + " is too high");
  if (shift > 300) return Uint256::max();

  // Numerator 0xFFFF << shift in 16 limbs (at most 316 bits), then long division by m.
  std::uint32_t num[16] = {};
  const std::uint64_t top = std::uint64_t{0xFFFF} << (shift % 32);
  num[shift / 32] = static_cast<std::uint32_t>(top);
  if (shift / 32 + 1 < 16) num[shift / 32 + 1] = static_cast<std::uint32_t>(top >> 32);
  std::uint32_t quot[16] = {};
  u128 rem = 0;
  for (int i = 15; i >= 0; --i) {
    rem = (rem << 32) | num[i];
    quot[i] = static_cast<std::uint32_t>(rem / m);
    rem %= m;
  }
  for (int i = 8; i < 16; ++i)
    if (quot[i] != 0) return Uint256::max();
  Uint256 target;
  for (int i = 0; i < 8; ++i) target.limbs[i] = quot[i];
  if (target.is_zero())
    return make_error("difficulty " + std::to_string(difficulty) + " is too high");
  return target;
}

Result<double> target_to_difficulty(const Uint256& target) {
  if (target.is_zero()) return make_error("target is zero");
  return kDiff1 / target.to_double();
}

double share_difficulty(const Hash256& hash) {
  const Uint256 value = Uint256::from_le_bytes(hash);
  if (value.is_zero()) return std::numeric_limits<double>::infinity();
  return kDiff1 / value.to_double();
}

Result<Uint256> nbits_to_target(std::uint32_t nbits) {
  const std::uint32_t exponent = nbits >> 24;
  std::uint32_t mantissa = nbits & 0x007fffffu;
  if ((nbits & 0x00800000u) != 0 && mantissa != 0)
    return make_error("nBits " + std::to_string(nbits) + " has the sign bit set");
  if (mantissa != 0 &&
      (exponent > 34 || (mantissa > 0xff && exponent > 33) || (mantissa > 0xffff && exponent > 32)))
    return make_error("nBits " + std::to_string(nbits) + " overflows 256 bits");

  Uint256 target;
  if (exponent <= 3) {
    mantissa >>= 8 * (3 - exponent);
    target.limbs[0] = mantissa;
    if (target.is_zero()) return make_error("nBits " + std::to_string(nbits) + " is a zero target");
    return target;
  }
  // Place the 3 mantissa bytes at byte offset (exponent - 3).
  const std::uint32_t byte_shift = exponent - 3;
  for (int i = 0; i < 3; ++i) {
    const std::uint32_t byte = (mantissa >> (8 * i)) & 0xff;
    const std::uint32_t pos = byte_shift + i;
    if (pos < 32) target.limbs[pos / 4] |= byte << (8 * (pos % 4));
  }
  if (target.is_zero()) return make_error("nBits " + std::to_string(nbits) + " is a zero target");
  return target;
}

}  // namespace ih::stratum
