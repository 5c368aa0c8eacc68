// SHA-256 functions built on a three-input bitwise primitive with vpternlogd semantics: bit i
// of the result is bit ((a_i << 2) | (b_i << 1) | c_i) of the immediate. Shared, immediates
// included, by the AVX-512 scanner and by the emulated 16-lane type that tests it anywhere.
#pragma once

#include <cstdint>

#include "cpu/sha256d_lanes.hpp"

namespace ih::kernels::cpu {

inline constexpr std::uint8_t kTernXor3 = 0x96;    // a ^ b ^ c
inline constexpr std::uint8_t kTernChoose = 0xCA;  // a ? b : c
inline constexpr std::uint8_t kTernMajority = 0xE8;

// P provides V, kLanes, set1, add, sub, iota, le_mask, rotr<n>, shr<n> and ternlog<imm>.
template <class P>
struct TernlogShaOps : P {
  using V = typename P::V;
  // Measured faster on the AVX-512 guest (see sha256d_lanes.hpp).
  static constexpr bool kFusedSchedule = true;
  // Measured faster on the AVX-512 guest (README, "AVX-512 kernel variants").
  static constexpr bool kShortRoundChain = true;
  static IH_ALWAYS_INLINE V xor3(V a, V b, V c) { return P::template ternlog<kTernXor3>(a, b, c); }
  static IH_ALWAYS_INLINE V bsig0(V x) {
    return xor3(P::template rotr<2>(x), P::template rotr<13>(x), P::template rotr<22>(x));
  }
  static IH_ALWAYS_INLINE V bsig1(V x) {
    return xor3(P::template rotr<6>(x), P::template rotr<11>(x), P::template rotr<25>(x));
  }
  static IH_ALWAYS_INLINE V ssig0(V x) {
    return xor3(P::template rotr<7>(x), P::template rotr<18>(x), P::template shr<3>(x));
  }
  static IH_ALWAYS_INLINE V ssig1(V x) {
    return xor3(P::template rotr<17>(x), P::template rotr<19>(x), P::template shr<10>(x));
  }
  static IH_ALWAYS_INLINE V ch(V e, V f, V g) { return P::template ternlog<kTernChoose>(e, f, g); }
  static IH_ALWAYS_INLINE V maj(V a, V b, V c) {
    return P::template ternlog<kTernMajority>(a, b, c);
  }
  // Byte swap without AVX-512BW's vpshufb: odd bytes from rotr 8, even bytes from rotr 24.
  static IH_ALWAYS_INLINE V bswap(V x) {
    return P::template ternlog<kTernChoose>(P::set1(0xFF00FF00u), P::template rotr<8>(x),
                                            P::template rotr<24>(x));
  }
};

}  // namespace ih::kernels::cpu
