// The lane-generic SHA-256d nonce scan shared by the portable, AVX2 and AVX-512 scanners (and
// by the emulated 16-lane test that proves the AVX-512 algorithm on CPUs without AVX-512).
//
// `O` is a vector-ops type: V (one register of O::kLanes 32-bit lanes), set1, add, iota(base)
// (base, base + 1, ...), bsig0/bsig1/ssig0/ssig1, ch, maj, bswap and le_mask(x, t) (bit i set
// when lane i of x <= lane i of t, unsigned). `G` independent groups are interleaved so the
// core always has independent work while one group waits on its round latency.
//
// Everything here is a template over O so that each ISA translation unit gets its own copy
// compiled with its own flags (see mining_precompute.hpp for why that matters).
#pragma once

#include <cstdint>
#include <utility>

#include "cpu/mining_precompute.hpp"

#define IH_ALWAYS_INLINE inline __attribute__((always_inline))
// The same for lambdas: GCC otherwise emits the larger round blocks out of line, and every call
// spills the whole vector state (all vector registers are caller-saved).
#define IH_INLINE_LAMBDA __attribute__((always_inline))

namespace ih::kernels::cpu {

// f(Index<0>) ... f(Index<N - 1>) written out, not a loop: GCC otherwise
// may turn "for each round, for each group" into "for each group, all rounds", serialising the
// independent chains this interleaving is for.
namespace {
// A compile-time index. Internal linkage on purpose (not std::integral_constant): an unoptimised
// build would otherwise emit its conversion operator as a weak symbol compiled with ISA flags.
template <int I>
struct Index {
  static constexpr int value = I;
  constexpr operator int() const { return I; }  // NOLINT: implicit by design
};
}  // namespace

template <class F, int... I>
IH_ALWAYS_INLINE void unrolled_for(const F& f, std::integer_sequence<int, I...>) {
  (f(Index<I>{}), ...);
}
template <int N, class F>
IH_ALWAYS_INLINE void unrolled(const F& f) {
  unrolled_for(f, std::make_integer_sequence<int, N>{});
}

// The working variables a..h of one group. They rotate roles each round instead of moving:
// before round R, variable `role` (0 = a ... 7 = h) lives at v[(role - R) mod 8].
template <class O>
struct ShaState {
  typename O::V v[8];
  typename O::V bc;  // b ^ c of the coming round, for ops that build Maj from it
  template <int R>
  IH_ALWAYS_INLINE typename O::V& role(int role_index) {
    return v[(role_index + 8 * 8 - R) & 7];
  }
};

// Ops without a one-instruction Maj can set kMajFromAb: Maj(a, b, c) = b ^ ((a ^ b) & (b ^ c)),
// and b ^ c is the previous round's a ^ b, so Maj costs two operations instead of four.
template <class O>
concept MajFromAb = requires {
  O::kMajFromAb;
}
&&O::kMajFromAb;

// Ops can set kShortRoundChain (and provide sub): the rounds whose message words are ready
// early (all but the fused-schedule ones) then use a form whose dependency chain is 3
// operations per round instead of 4, for one more operation. Where every vector operation
// takes 2 cycles (Zen 5) those rounds are latency-bound and the short form wins; the fused
// rounds are bound by throughput and keep the cheaper form.
template <class O>
concept ShortRoundChain = requires {
  O::kShortRoundChain;
}
&&O::kShortRoundChain;

// One round, R = round number (only R mod 8 matters); Short picks the short-chain form.
template <class O, int R, bool Short>
IH_ALWAYS_INLINE void sha_round(ShaState<O>& s, typename O::V k_plus_w) {
  using V = typename O::V;
  V& a = s.template role<R>(0);
  V& b = s.template role<R>(1);
  V& c = s.template role<R>(2);
  V& d = s.template role<R>(3);
  V& e = s.template role<R>(4);
  V& f = s.template role<R>(5);
  V& g = s.template role<R>(6);
  V& h = s.template role<R>(7);
  if constexpr (Short) {
    // e' = ((d + h + K + W) + Ch(e, f, g)) + S1(e): after e only Ch/S1, one add, one add.
    // a' = S0(a) + ((e' - d) + Maj(a, b, c)), as e' - d is T1: after a only S0 and one add.
    const V e_new = O::add(O::add(O::add(d, O::add(h, k_plus_w)), O::ch(e, f, g)), O::bsig1(e));
    h = O::add(O::bsig0(a), O::add(O::sub(e_new, d), O::maj(a, b, c)));
    d = e_new;
    return;
  }
  // The order of these additions is the order GCC emits when tree reassociation is off (as
  // for the AVX-512 unit): the terms known early first, S1(e) and S0(a) last.
  const V t1 = O::add(O::add(O::add(h, k_plus_w), O::ch(e, f, g)), O::bsig1(e));
  d = O::add(d, t1);
  if constexpr (MajFromAb<O>) {
    const V ab = O::xor2(a, b);
    const V maj = O::xor2(b, O::and2(ab, s.bc));
    s.bc = ab;
    h = O::add(O::add(t1, O::bsig0(a)), maj);
  } else {
    h = O::add(O::add(t1, O::maj(a, b, c)), O::bsig0(a));
  }
}

// Round R computing only the new e: all that is left to know H7 after round 60.
template <class O, int R>
IH_ALWAYS_INLINE void sha_round_new_e_only(ShaState<O>& s, typename O::V k_plus_w) {
  using V = typename O::V;
  V& d = s.template role<R>(3);
  V& e = s.template role<R>(4);
  // No T1 is needed for an a, so the short chain costs nothing here.
  const V p = O::add(d, O::add(s.template role<R>(7), k_plus_w));
  d = O::add(O::add(p, O::ch(e, s.template role<R>(5), s.template role<R>(6))), O::bsig1(e));
}

// O::pin(v), where O has it, is an empty asm that must see v complete: it keeps GCC from
// emitting each group's whole chain of rounds in one piece (expression-tree expansion), which
// serialises the groups this interleaving is for. Opt-in: where the kernel is bound by ALU
// throughput rather than latency (AVX2, scalar) the pins measured slower.
template <class O>
IH_ALWAYS_INLINE void pin(typename O::V& v) {
  if constexpr (requires { O::pin(v); }) O::pin(v);
}

// Rounds First, First + 1, ... of every group, unrolled; kw(g, round) gives K + W.
template <class O, int G, int First, bool Short, class Kw, std::size_t... I>
IH_ALWAYS_INLINE void sha_rounds(ShaState<O> (&s)[G], const Kw& kw, std::index_sequence<I...>) {
  (
      [&]() IH_INLINE_LAMBDA {
        constexpr int R = First + static_cast<int>(I);
        for (int g = 0; g < G; ++g) sha_round<O, R, Short>(s[g], kw(g, R));
        // Only the new e (role 3 after its update): pinning the new a as well cost ~2 % on the
        // AVX-512 guest (6.7 more instructions per nonce, mostly moves and spills).
        unrolled<G>([&](auto g) IH_INLINE_LAMBDA { pin<O>(s[g].template role<R>(3)); });
      }(),
      ...);
}

// s1/s0 of the message schedule: W[i] = s1(W[i-2]) + W[i-7] + s0(W[i-15]) + W[i-16].
template <class O>
IH_ALWAYS_INLINE typename O::V schedule_word(const typename O::V* w, int i) {
  return O::add(O::add(O::ssig1(w[i - 2]), w[i - 7]), O::add(O::ssig0(w[i - 15]), w[i - 16]));
}

// Ops can set kFusedSchedule: each message word from W32 on is computed in the round that uses
// it (stored for the later words), so the schedule's dependency chain overlaps the rounds'
// instead of running as one serial loop first.
template <class O>
concept FusedSchedule = requires {
  O::kFusedSchedule;
}
&&O::kFusedSchedule;

// K[i] + W[i] for round i; with a fused schedule W[i] is computed (and stored) here first.
template <class O, bool Fused>
IH_ALWAYS_INLINE typename O::V kw_from_schedule(typename O::V* w, const std::uint32_t* k, int i) {
  if constexpr (Fused) w[i] = schedule_word<O>(w, i);
  return O::add(O::set1(k[i]), w[i]);
}

// Message words first..last - 1, outside the rounds (when the schedule is not fused).
template <class O>
IH_ALWAYS_INLINE void schedule_words(typename O::V* w, int first, int last) {
  for (int i = first; i < last; ++i) w[i] = schedule_word<O>(w, i);
}

// Hashes `count` nonces from `first` (wrapping) and appends those whose hash limb 7 is
// <= target limb 7. The last batch is computed whole and its surplus lanes are masked out.
template <class O, int G>
void scan_lanes(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                Candidates& out) {
  using V = typename O::V;
  constexpr std::uint32_t kLanes = O::kLanes;
  constexpr std::uint32_t kBatch = kLanes * G;
  constexpr bool kFused = FusedSchedule<O>;
  constexpr bool kShort = ShortRoundChain<O>;  // for the rounds with early message words
  const V target = O::set1(p.target_limb7);

  // Message schedules, kept in memory (L1 loads fold into the adds). Words that are the same
  // for every nonce are written once: hash 1's W0..W15 but W3 (the nonce), hash 2's W8..W15.
  V w[G][64];
  V w2[G][64];
  for (int g = 0; g < G; ++g) {
    for (int i = 0; i < 3; ++i) w[g][i] = O::set1(p.tail[i]);
    w[g][4] = O::set1(0x80000000u);
    for (int i = 5; i < 15; ++i) w[g][i] = O::set1(0);
    w[g][15] = O::set1(640);
    w2[g][8] = O::set1(0x80000000u);
    for (int i = 9; i < 15; ++i) w2[g][i] = O::set1(0);
    w2[g][15] = O::set1(256);
  }

  for (std::uint64_t done = 0; done < count; done += kBatch) {
    const std::uint32_t base = first + static_cast<std::uint32_t>(done);
    const std::uint64_t left = count - done;
    const std::uint32_t valid = left < kBatch ? static_cast<std::uint32_t>(left) : kBatch;

    // ---- Hash 1: block 2 from the midstate, rounds 0..3 precomputed.
    ShaState<O> s[G];
    for (int g = 0; g < G; ++g) {
      const V n = O::bswap(O::iota(base + static_cast<std::uint32_t>(g) * kLanes));
      V* x = w[g];
      x[3] = n;
      x[16] = O::set1(p.w16);
      x[17] = O::set1(p.w17);
      x[18] = O::add(O::set1(p.w18_base), O::ssig0(n));
      x[19] = O::add(O::set1(p.w19_base), n);
      x[20] = O::add(O::ssig1(x[18]), O::set1(0x80000000u));
      x[21] = O::ssig1(x[19]);
      x[22] = O::add(O::ssig1(x[20]), O::set1(640));
      x[23] = O::add(O::ssig1(x[21]), x[16]);
      x[24] = O::add(O::ssig1(x[22]), x[17]);
      for (int i = 25; i < 30; ++i) x[i] = O::add(O::ssig1(x[i - 2]), x[i - 7]);
      x[30] = O::add(O::add(O::ssig1(x[28]), x[23]), O::set1(p.w30_add));
      x[31] = O::add(O::add(O::ssig1(x[29]), x[24]), O::set1(p.w31_add));
      if constexpr (!kFused) schedule_words<O>(x, 32, 64);

      // State before round 4: role r sits at v[(r - 4) mod 8].
      for (int r = 0; r < 8; ++r) s[g].v[(r + 4) & 7] = O::set1(p.state3[r]);
      s[g].v[4] = O::add(s[g].v[4], n);  // a
      s[g].v[0] = O::add(s[g].v[0], n);  // e
      s[g].bc = O::set1(p.state3[1] ^ p.state3[2]);
    }
    sha_rounds<O, G, 4, kShort>(
        s, [&](int, int i) IH_INLINE_LAMBDA { return O::set1(p.kw1[i]); },
        std::make_index_sequence<12>{});
    for (int i = 16; i < 32; i += 8) {
      sha_rounds<O, G, 0, kShort>(
          s,
          [&](int g, int j)
              IH_INLINE_LAMBDA { return kw_from_schedule<O, false>(w[g], p.k, i + j); },
          std::make_index_sequence<8>{});
    }
    for (int i = 32; i < 64; i += 8) {
      sha_rounds<O, G, 0, kShort && !kFused>(
          s,
          [&](int g, int j)
              IH_INLINE_LAMBDA { return kw_from_schedule<O, kFused>(w[g], p.k, i + j); },
          std::make_index_sequence<8>{});
    }

    // ---- Hash 2: the 32-byte digest padded to one block, from the IV.
    for (int g = 0; g < G; ++g) {
      V* x = w2[g];
      for (int r = 0; r < 8; ++r) x[r] = O::add(s[g].v[r], O::set1(p.midstate[r]));
      x[16] = O::add(O::ssig0(x[1]), x[0]);
      x[17] = O::add(O::add(O::set1(p.h2_w17_add), O::ssig0(x[2])), x[1]);
      for (int i = 18; i < 22; ++i)
        x[i] = O::add(O::add(O::ssig1(x[i - 2]), O::ssig0(x[i - 15])), x[i - 16]);
      x[22] = O::add(O::add(O::ssig1(x[20]), O::set1(256)), O::add(O::ssig0(x[7]), x[6]));
      x[23] = O::add(O::add(O::ssig1(x[21]), x[16]), O::add(O::set1(p.h2_w23_add), x[7]));
      x[24] = O::add(O::add(O::ssig1(x[22]), x[17]), O::set1(0x80000000u));
      for (int i = 25; i < 30; ++i) x[i] = O::add(O::ssig1(x[i - 2]), x[i - 7]);
      x[30] = O::add(O::add(O::ssig1(x[28]), x[23]), O::set1(p.h2_w30_add));
      x[31] = O::add(O::add(O::ssig1(x[29]), x[24]), O::add(O::ssig0(x[16]), O::set1(256)));
      if constexpr (!kFused) schedule_words<O>(x, 32, 61);

      // State after round 0, placed for round 1: role r sits at v[(r - 1) mod 8].
      V after0[8];
      after0[0] = O::add(O::set1(p.h2_a1_base), x[0]);
      after0[4] = O::add(O::set1(p.h2_e1_base), x[0]);
      for (int r = 1; r < 8; ++r)
        if (r != 4) after0[r] = O::set1(p.iv[r - 1]);
      for (int r = 0; r < 8; ++r) s[g].v[(r + 7) & 7] = after0[r];
      s[g].bc = O::set1(p.iv[0] ^ p.iv[1]);
    }
    sha_rounds<O, G, 1, kShort>(
        s, [&](int g, int i) IH_INLINE_LAMBDA { return O::add(O::set1(p.k[i]), w2[g][i]); },
        std::make_index_sequence<7>{});
    sha_rounds<O, G, 8, kShort>(
        s, [&](int, int i) IH_INLINE_LAMBDA { return O::set1(p.kw2[i]); },
        std::make_index_sequence<8>{});
    for (int i = 16; i < 32; i += 8) {
      sha_rounds<O, G, 0, kShort>(
          s,
          [&](int g, int j)
              IH_INLINE_LAMBDA { return kw_from_schedule<O, false>(w2[g], p.k, i + j); },
          std::make_index_sequence<8>{});
    }
    for (int i = 32; i < 56; i += 8) {
      sha_rounds<O, G, 0, kShort && !kFused>(
          s,
          [&](int g, int j)
              IH_INLINE_LAMBDA { return kw_from_schedule<O, kFused>(w2[g], p.k, i + j); },
          std::make_index_sequence<8>{});
    }
    sha_rounds<O, G, 56, kShort && !kFused>(
        s,
        [&](int g, int i) IH_INLINE_LAMBDA { return kw_from_schedule<O, kFused>(w2[g], p.k, i); },
        std::make_index_sequence<1>{});

    // H7 = IV7 + the e that round 60 computes (rounds 61..63 only move it to h). Rounds 57..60
    // therefore need only their new e: their new a would first be read in rounds 61..64.
    unrolled<4>([&](auto r) IH_INLINE_LAMBDA {
      constexpr int R = 57 + decltype(r)::value;
      unrolled<G>([&](auto g) IH_INLINE_LAMBDA {
        sha_round_new_e_only<O, R>(s[g], kw_from_schedule<O, kFused>(w2[g], p.k, R));
      });
    });
    for (int g = 0; g < G; ++g) {
      const V h7 = O::add(s[g].template role<61>(4), O::set1(p.iv[7]));
      std::uint32_t mask = O::le_mask(O::bswap(h7), target);
      const std::uint32_t first_lane = static_cast<std::uint32_t>(g) * kLanes;
      if (valid < first_lane + kLanes)
        mask &= valid <= first_lane ? 0u : (1u << (valid - first_lane)) - 1u;
      for (std::uint32_t lane = 0; mask != 0; ++lane, mask >>= 1)
        if (mask & 1u) append_candidate(out, base + first_lane + lane);
    }
  }
}

}  // namespace ih::kernels::cpu
