// AVX2 kernel: 8 lanes per register, kAvx2Groups groups interleaved. Compiled with -mavx2 only
// here (kernels/CMakeLists.txt); called only when cpu_features().avx2.
#include <immintrin.h>

#include "cpu/scan_functions.hpp"
#include "cpu/sha256d_lanes.hpp"

namespace ih::kernels::cpu {

namespace {

struct Avx2Ops {
  using V = __m256i;
  static constexpr std::uint32_t kLanes = 8;
  static IH_ALWAYS_INLINE V set1(std::uint32_t x) { return _mm256_set1_epi32(static_cast<int>(x)); }
  static constexpr bool kMajFromAb = true;
  static IH_ALWAYS_INLINE V xor2(V a, V b) { return _mm256_xor_si256(a, b); }
  static IH_ALWAYS_INLINE V and2(V a, V b) { return _mm256_and_si256(a, b); }
  static IH_ALWAYS_INLINE V add(V a, V b) { return _mm256_add_epi32(a, b); }
  static IH_ALWAYS_INLINE V iota(std::uint32_t base) {
    return _mm256_add_epi32(set1(base), _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
  }
  // rotr(x, a) ^ rotr(x, b) ^ rotr(x, c) as six shifts and five xors (no vector rotate in AVX2).
  template <int A, int B, int C>
  static IH_ALWAYS_INLINE V rotr3(V x) {
    const V right =
        _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi32(x, A), _mm256_srli_epi32(x, B)),
                         _mm256_srli_epi32(x, C));
    const V left = _mm256_xor_si256(
        _mm256_xor_si256(_mm256_slli_epi32(x, 32 - A), _mm256_slli_epi32(x, 32 - B)),
        _mm256_slli_epi32(x, 32 - C));
    return _mm256_xor_si256(right, left);
  }
  // rotr(x, a) ^ rotr(x, b) ^ (x >> c).
  template <int A, int B, int C>
  static IH_ALWAYS_INLINE V rotr2_shr(V x) {
    const V right =
        _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi32(x, A), _mm256_srli_epi32(x, B)),
                         _mm256_srli_epi32(x, C));
    const V left = _mm256_xor_si256(_mm256_slli_epi32(x, 32 - A), _mm256_slli_epi32(x, 32 - B));
    return _mm256_xor_si256(right, left);
  }
  static IH_ALWAYS_INLINE V bsig0(V x) { return rotr3<2, 13, 22>(x); }
  static IH_ALWAYS_INLINE V bsig1(V x) { return rotr3<6, 11, 25>(x); }
  static IH_ALWAYS_INLINE V ssig0(V x) { return rotr2_shr<7, 18, 3>(x); }
  static IH_ALWAYS_INLINE V ssig1(V x) { return rotr2_shr<17, 19, 10>(x); }
  static IH_ALWAYS_INLINE V ch(V e, V f, V g) {
    return _mm256_xor_si256(_mm256_and_si256(_mm256_xor_si256(f, g), e), g);
  }
  static IH_ALWAYS_INLINE V maj(V a, V b, V c) {
    return _mm256_or_si256(_mm256_and_si256(a, b), _mm256_and_si256(c, _mm256_or_si256(a, b)));
  }
  static IH_ALWAYS_INLINE V bswap(V x) {
    const V order = _mm256_setr_epi8(3, 2, 1, 0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12, 3, 2, 1,
                                     0, 7, 6, 5, 4, 11, 10, 9, 8, 15, 14, 13, 12);
    return _mm256_shuffle_epi8(x, order);
  }
  // Unsigned x <= t  <=>  max(x, t) == t.
  static IH_ALWAYS_INLINE std::uint32_t le_mask(V x, V t) {
    const V le = _mm256_cmpeq_epi32(_mm256_max_epu32(x, t), t);
    return static_cast<std::uint32_t>(_mm256_movemask_ps(_mm256_castsi256_ps(le)));
  }
};

}  // namespace

void scan_avx2(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
               Candidates& out) {
  scan_lanes<Avx2Ops, kAvx2Groups>(p, first, count, out);
}

}  // namespace ih::kernels::cpu
