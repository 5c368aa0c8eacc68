#include "ih/kernels/uint256.hpp"

#include <cmath>

namespace ih {

Uint256 Uint256::from_le_bytes(const Hash256& bytes) {
  Uint256 v;
  for (int i = 0; i < 8; ++i) {
    const std::uint8_t* p = bytes.data() + 4 * i;
    v.limbs[i] = std::uint32_t{p[0]} | (std::uint32_t{p[1]} << 8) | (std::uint32_t{p[2]} << 16) |
                 (std::uint32_t{p[3]} << 24);
  }
  return v;
}

Uint256 Uint256::max() {
  Uint256 v;
  v.limbs.fill(0xffffffffu);
  return v;
}

Hash256 Uint256::to_le_bytes() const {
  Hash256 out{};
  for (int i = 0; i < 8; ++i)
    for (int b = 0; b < 4; ++b) out[4 * i + b] = static_cast<std::uint8_t>(limbs[i] >> (8 * b));
  return out;
}

std::string Uint256::to_hex() const {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(64);
  for (int i = 7; i >= 0; --i)
    for (int shift = 28; shift >= 0; shift -= 4) out.push_back(kDigits[(limbs[i] >> shift) & 0xf]);
  return out;
}

double Uint256::to_double() const {
  double v = 0;
  for (int i = 7; i >= 0; --i) v = v * 4294967296.0 + limbs[i];
  return v;
}

bool Uint256::is_zero() const {
  for (auto limb : limbs)
    if (limb != 0) return false;
  return true;
}

Uint256 increment(Uint256 value) {
  for (auto& limb : value.limbs)
    if (++limb != 0) break;
  return value;
}

bool hash_meets_target(const Hash256& hash, const Uint256& target) {
  return Uint256::from_le_bytes(hash) <= target;
}

}  // namespace ih
