// SHA-NI kernel: kShaNiStreams nonces hashed side by side so that sha256rnds2 (latency about
// four times its issue interval) always has an independent chain to issue. Compiled with
// -msha -msse4.1 only here; called only when cpu_features().sha_ni.
//
// State layout of the SHA extensions: ABEF = {F, E, B, A} and CDGH = {H, G, D, C} as dwords
// 0..3; one sha256rnds2 does two rounds with K + W from the low two dwords of its third operand.
#include <immintrin.h>

#include "cpu/scan_functions.hpp"
#include "cpu/sha256d_lanes.hpp"

namespace ih::kernels::cpu {

namespace {

constexpr int S = kShaNiStreams;

IH_ALWAYS_INLINE __m128i load4(const std::uint32_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
IH_ALWAYS_INLINE __m128i load2(const std::uint32_t* p) {
  return _mm_loadl_epi64(reinterpret_cast<const __m128i*>(p));
}
IH_ALWAYS_INLINE __m128i abef_of(const std::uint32_t* s) {
  return _mm_set_epi32(static_cast<int>(s[0]), static_cast<int>(s[1]), static_cast<int>(s[4]),
                       static_cast<int>(s[5]));
}
IH_ALWAYS_INLINE __m128i cdgh_of(const std::uint32_t* s) {
  return _mm_set_epi32(static_cast<int>(s[2]), static_cast<int>(s[3]), static_cast<int>(s[6]),
                       static_cast<int>(s[7]));
}

// An empty asm the compiler must treat as reading and writing v: it pins where v is complete.
// Without it GCC's expression-tree expansion emits each stream's whole rnds2 chain in one
// piece, serialising the streams (measured: no gain from more streams) instead of
// interleaving them.
IH_ALWAYS_INLINE void pin(__m128i& v) {
  __asm__ volatile("" : "+x"(v));
}

// Four rounds on every stream with K + W taken from constant memory (kw[i], kw[i + 1], ...).
IH_ALWAYS_INLINE void four_const_rounds(__m128i (&abef)[S], __m128i (&cdgh)[S],
                                        const std::uint32_t* kw) {
  const __m128i lo = load2(kw), hi = load2(kw + 2);
  unrolled<S>([&](auto s) { cdgh[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], lo); });
  unrolled<S>([&](auto s) { abef[s] = _mm_sha256rnds2_epu32(abef[s], cdgh[s], hi); });
  unrolled<S>([&](auto s) { pin(abef[s]); });
}

// Four rounds on every stream with W from msg[s] (W[i..i+3]) and K from k (K[i..i+3]).
IH_ALWAYS_INLINE void four_rounds(__m128i (&abef)[S], __m128i (&cdgh)[S], const __m128i (&msg)[S],
                                  const std::uint32_t* k) {
  const __m128i kv = load4(k);
  __m128i kw[S];
  unrolled<S>([&](auto s) {
    kw[s] = _mm_add_epi32(msg[s], kv);
    cdgh[s] = _mm_sha256rnds2_epu32(cdgh[s], abef[s], kw[s]);
  });
  unrolled<S>([&](auto s) {
    abef[s] = _mm_sha256rnds2_epu32(abef[s], cdgh[s], _mm_shuffle_epi32(kw[s], 0x0E));
  });
  unrolled<S>([&](auto s) { pin(abef[s]); });
}

// W[4q..4q+3] from the previous sixteen words held in m[.][(q - 4..q - 1) mod 4].
template <int Q>
IH_ALWAYS_INLINE void next_message(__m128i (&m)[4][S]) {
  __m128i(&w0)[S] = m[Q & 3];
  const __m128i(&w1)[S] = m[(Q + 1) & 3];
  const __m128i(&w2)[S] = m[(Q + 2) & 3];
  const __m128i(&w3)[S] = m[(Q + 3) & 3];
  unrolled<S>([&](auto s) {
    const __m128i t =
        _mm_add_epi32(_mm_sha256msg1_epu32(w0[s], w1[s]), _mm_alignr_epi8(w3[s], w2[s], 4));
    w0[s] = _mm_sha256msg2_epu32(t, w3[s]);
  });
}

// Rounds 4Q.. for Q in [First, Last): schedule then four rounds.
template <int First, int... Q>
IH_ALWAYS_INLINE void scheduled_rounds(__m128i (&abef)[S], __m128i (&cdgh)[S], __m128i (&m)[4][S],
                                       const std::uint32_t* k, std::integer_sequence<int, Q...>) {
  ((next_message<First + Q>(m), four_rounds(abef, cdgh, m[(First + Q) & 3], k + 4 * (First + Q))),
   ...);
}

}  // namespace

void scan_sha_ni(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                 Candidates& out) {
  const __m128i abef3 = abef_of(p.state3), cdgh3 = cdgh_of(p.state3);
  const __m128i mid_abef = abef_of(p.midstate), mid_cdgh = cdgh_of(p.midstate);
  const __m128i iv_abef = abef_of(p.iv), iv_cdgh = cdgh_of(p.iv);
  const __m128i block2_w0 = _mm_setr_epi32(static_cast<int>(p.tail[0]), static_cast<int>(p.tail[1]),
                                           static_cast<int>(p.tail[2]), 0);
  const __m128i block2_w1 = _mm_setr_epi32(static_cast<int>(0x80000000u), 0, 0, 0);
  const __m128i block2_w3 = _mm_setr_epi32(0, 0, 0, 640);
  const __m128i hash2_w2 = block2_w1;
  const __m128i hash2_w3 = _mm_setr_epi32(0, 0, 0, 256);

  for (std::uint64_t done = 0; done < count; done += S) {
    const std::uint32_t base = first + static_cast<std::uint32_t>(done);
    const std::uint64_t left = count - done;
    const std::uint32_t valid = left < S ? static_cast<std::uint32_t>(left) : S;

    // ---- Hash 1 from the state after round 3 (a and e add n, the swapped nonce).
    __m128i abef[S], cdgh[S], m[4][S];
    unrolled<S>([&](auto s) {
      const int n = static_cast<int>(__builtin_bswap32(base + static_cast<std::uint32_t>(s)));
      abef[s] = _mm_add_epi32(abef3, _mm_setr_epi32(0, n, 0, n));
      cdgh[s] = cdgh3;
      m[0][s] = _mm_insert_epi32(block2_w0, n, 3);
      m[1][s] = block2_w1;
      m[2][s] = _mm_setzero_si128();
      m[3][s] = block2_w3;
    });
    for (int i = 4; i < 16; i += 4) four_const_rounds(abef, cdgh, p.kw1 + i);
    scheduled_rounds<4>(abef, cdgh, m, p.k, std::make_integer_sequence<int, 12>{});

    // ---- Hash 2: W0..W7 = digest words, from the IV.
    unrolled<S>([&](auto s) {
      const __m128i dabef = _mm_add_epi32(abef[s], mid_abef);
      const __m128i dcdgh = _mm_add_epi32(cdgh[s], mid_cdgh);
      m[0][s] = _mm_shuffle_epi32(_mm_unpackhi_epi64(dcdgh, dabef), 0x1B);  // A B C D
      m[1][s] = _mm_shuffle_epi32(_mm_unpacklo_epi64(dcdgh, dabef), 0x1B);  // E F G H
      m[2][s] = hash2_w2;
      m[3][s] = hash2_w3;
      abef[s] = iv_abef;
      cdgh[s] = iv_cdgh;
    });
    four_rounds(abef, cdgh, m[0], p.k);
    four_rounds(abef, cdgh, m[1], p.k + 4);
    for (int i = 8; i < 16; i += 4) four_const_rounds(abef, cdgh, p.kw2 + i);
    scheduled_rounds<4>(abef, cdgh, m, p.k, std::make_integer_sequence<int, 11>{});

    // Rounds 60 and 61: F afterwards is e after round 60, and H7 = IV7 + that.
    next_message<15>(m);
    const __m128i k60 = load4(p.k + 60);
    std::uint32_t h7[S];
    unrolled<S>([&](auto s) {
      const __m128i last = _mm_sha256rnds2_epu32(cdgh[s], abef[s], _mm_add_epi32(m[3][s], k60));
      h7[s] = static_cast<std::uint32_t>(_mm_cvtsi128_si32(last)) + p.iv[7];
    });
    for (std::uint32_t s = 0; s < valid; ++s)
      if (__builtin_bswap32(h7[s]) <= p.target_limb7) append_candidate(out, base + s);
  }
}

}  // namespace ih::kernels::cpu
