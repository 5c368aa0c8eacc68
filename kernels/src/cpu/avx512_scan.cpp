// AVX-512 kernel: 16 lanes, vprord rotates, vpternlogd for Ch/Maj/xor3, kAvx512Groups groups
// interleaved. Compiled with -mavx512f -mavx512vl only here; called only when
// cpu_features().avx512f. The algorithm and immediates are shared with the emulated 16-lane
// type in tests/kernels, which checks them on any CPU.
#include <immintrin.h>

#include "cpu/scan_functions.hpp"
#include "cpu/ternlog_sha_ops.hpp"

namespace ih::kernels::cpu {

namespace {

struct Avx512Prims {
  using V = __m512i;
  static constexpr std::uint32_t kLanes = 16;
  static IH_ALWAYS_INLINE V set1(std::uint32_t x) { return _mm512_set1_epi32(static_cast<int>(x)); }
  // Keeps the groups interleaved (see pin<O> in sha256d_lanes.hpp). Measured on the AVX-512
  // guest: without it ~30 % slower, with it on the new e only ~2 % faster than on e and a
  // (README, "AVX-512 kernel variants").
  static IH_ALWAYS_INLINE void pin(V& v) { __asm__ volatile("" : "+v"(v)); }
  static IH_ALWAYS_INLINE V add(V a, V b) { return _mm512_add_epi32(a, b); }
  static IH_ALWAYS_INLINE V sub(V a, V b) { return _mm512_sub_epi32(a, b); }
  static IH_ALWAYS_INLINE V iota(std::uint32_t base) {
    return _mm512_add_epi32(
        set1(base), _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15));
  }
  template <int N>
  static IH_ALWAYS_INLINE V rotr(V x) {
    return _mm512_ror_epi32(x, N);
  }
  template <int N>
  static IH_ALWAYS_INLINE V shr(V x) {
    return _mm512_srli_epi32(x, N);
  }
  template <std::uint8_t Imm>
  static IH_ALWAYS_INLINE V ternlog(V a, V b, V c) {
    return _mm512_ternarylogic_epi32(a, b, c, Imm);
  }
  static IH_ALWAYS_INLINE std::uint32_t le_mask(V x, V t) {
    return static_cast<std::uint32_t>(_mm512_cmple_epu32_mask(x, t));
  }
};

using Avx512Ops = TernlogShaOps<Avx512Prims>;

}  // namespace

void scan_avx512(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                 Candidates& out) {
  scan_lanes<Avx512Ops, kAvx512Groups>(p, first, count, out);
}

}  // namespace ih::kernels::cpu
