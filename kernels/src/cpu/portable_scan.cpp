// Portable scalar kernel: the lane-generic algorithm on plain 32-bit integers, any CPU.
#include <bit>

#include "cpu/scan_functions.hpp"
#include "cpu/sha256d_lanes.hpp"

namespace ih::kernels::cpu {

namespace {

struct ScalarOps {
  using V = std::uint32_t;
  static constexpr std::uint32_t kLanes = 1;
  static V set1(std::uint32_t x) { return x; }
  static constexpr bool kMajFromAb = true;
  static V xor2(V a, V b) { return a ^ b; }
  static V and2(V a, V b) { return a & b; }
  static V add(V a, V b) { return a + b; }
  static V iota(std::uint32_t base) { return base; }
  static V bsig0(V x) { return std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22); }
  static V bsig1(V x) { return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25); }
  static V ssig0(V x) { return std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3); }
  static V ssig1(V x) { return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10); }
  static V ch(V e, V f, V g) { return ((f ^ g) & e) ^ g; }
  static V maj(V a, V b, V c) { return (a & b) | (c & (a | b)); }
  static V bswap(V x) { return __builtin_bswap32(x); }
  static std::uint32_t le_mask(V x, V t) { return x <= t ? 1u : 0u; }
};

}  // namespace

void scan_portable(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                   Candidates& out) {
  scan_lanes<ScalarOps, kPortableGroups>(p, first, count, out);
}

}  // namespace ih::kernels::cpu
