// Per-work constants shared by every CPU scanner (DESIGN §5): everything about sha256d(header)
// that does not depend on the nonce, computed once per scan call with the portable code.
//
// This header is included by the ISA translation units, which are compiled with -mavx2 /
// -mavx512f / -msha. It must therefore hold plain data only: any inline function or std
// template instantiated there could be emitted as a weak symbol with those flags and picked by
// the linker for ordinary code, which would then fault on CPUs without the extension.
#pragma once

#include <cstdint>

namespace ih::kernels {
struct Work;
struct Candidates;
}  // namespace ih::kernels

namespace ih::kernels::cpu {

// Block 2 of the first hash: W0..W2 = tail, W3 = byte-swapped nonce (n), W4 = 0x80000000,
// W5..W14 = 0, W15 = 640. Second hash: W0..W7 = first digest, W8 = 0x80000000, W9..W14 = 0,
// W15 = 256.
struct MiningPrecompute {
  std::uint32_t k[64];         // SHA-256 round constants (a plain copy: see above)
  std::uint32_t midstate[8];   // state after header bytes 0..63
  std::uint32_t tail[3];       // W0..W2 of block 2
  std::uint32_t state3[8];     // a..h after round 3 with n = 0; a and e then add n
  std::uint32_t kw1[18];       // K[i] + W[i] for the nonce-free rounds 4..17 of hash 1
  std::uint32_t w16, w17;      // constant schedule words of hash 1
  std::uint32_t w18_base;      // W18 = w18_base + s0(n)
  std::uint32_t w19_base;      // W19 = w19_base + n
  std::uint32_t w30_add;       // s0(W15)
  std::uint32_t w31_add;       // s0(W16) + W15
  std::uint32_t iv[8];         // SHA-256 initial state (start of hash 2)
  std::uint32_t h2_a1_base;    // hash 2, a after round 0 = h2_a1_base + W0
  std::uint32_t h2_e1_base;    // hash 2, e after round 0 = h2_e1_base + W0
  std::uint32_t kw2[16];       // K[i] + W[i] for the constant rounds 8..15 of hash 2
  std::uint32_t h2_w17_add;    // s1(W15) = s1(256)
  std::uint32_t h2_w23_add;    // s0(W8) = s0(0x80000000)
  std::uint32_t h2_w30_add;    // s0(W15) = s0(256)
  std::uint32_t target_limb7;  // candidate when bswap(H7) <= this (hash limb 7 <= target limb 7)
};

void precompute_mining(const Work& work, MiningPrecompute& out);

// Out of line on purpose (ordinary flags): the ISA kernels report the rare candidate through it.
void append_candidate(Candidates& out, std::uint32_t nonce);

}  // namespace ih::kernels::cpu
