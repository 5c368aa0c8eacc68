// One SHA-256 compression with the x86 SHA extensions, for hashing arbitrary messages fast
// (proof verification: coinbases, merkle branches, headers). Compiled with -msha -msse4.1 only
// here; called only when cpu_features().sha_ni. The scanners' interleaved kernel is
// sha_ni_scan.cpp; this is the plain one-block form (Intel's reference sequence).
//
// State layout of the SHA extensions: ABEF = {F, E, B, A} and CDGH = {H, G, D, C} as dwords
// 0..3; one sha256rnds2 does two rounds with K + W from the low two dwords of its third operand.
#include <immintrin.h>

#include "cpu/scan_functions.hpp"
#include "ih/kernels/sha256.hpp"

namespace ih::kernels::cpu {

void sha_ni_compress(Sha256State& state, const std::uint8_t* block) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  const __m128i dcba = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[0]));
  const __m128i hgfe = _mm_loadu_si128(reinterpret_cast<const __m128i*>(&state[4]));
  const __m128i cdab = _mm_shuffle_epi32(dcba, 0xB1);
  const __m128i efgh = _mm_shuffle_epi32(hgfe, 0x1B);
  __m128i abef = _mm_alignr_epi8(cdab, efgh, 8);
  __m128i cdgh = _mm_blend_epi16(efgh, cdab, 0xF0);
  const __m128i abef_in = abef, cdgh_in = cdgh;

  __m128i w[16];  // message words 4g..4g+3 for the rounds of group g
  for (int g = 0; g < 16; ++g) {
    if (g < 4) {
      w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(block + 16 * g)),
                              byte_swap);
    } else {
      const __m128i partial = _mm_sha256msg1_epu32(w[g - 4], w[g - 3]);
      w[g] = _mm_sha256msg2_epu32(_mm_add_epi32(partial, _mm_alignr_epi8(w[g - 1], w[g - 2], 4)),
                                  w[g - 1]);
    }
    const __m128i kw =
        _mm_add_epi32(w[g], _mm_loadu_si128(reinterpret_cast<const __m128i*>(&kSha256K[4 * g])));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, kw);
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(kw, 0x0E));
  }
  abef = _mm_add_epi32(abef, abef_in);
  cdgh = _mm_add_epi32(cdgh, cdgh_in);

  const __m128i feba = _mm_shuffle_epi32(abef, 0x1B);
  const __m128i dchg = _mm_shuffle_epi32(cdgh, 0xB1);
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[0]), _mm_blend_epi16(feba, dchg, 0xF0));
  _mm_storeu_si128(reinterpret_cast<__m128i*>(&state[4]), _mm_alignr_epi8(dchg, feba, 8));
}

}  // namespace ih::kernels::cpu
