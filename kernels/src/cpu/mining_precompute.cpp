#include "cpu/mining_precompute.hpp"

#include <bit>

#include "ih/kernels/scanner.hpp"
#include "ih/kernels/work.hpp"

namespace ih::kernels::cpu {

namespace {

std::uint32_t small_sigma0(std::uint32_t x) {
  return std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3);
}
std::uint32_t small_sigma1(std::uint32_t x) {
  return std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10);
}
std::uint32_t big_sigma0(std::uint32_t x) {
  return std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22);
}
std::uint32_t big_sigma1(std::uint32_t x) {
  return std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25);
}
std::uint32_t choose(std::uint32_t e, std::uint32_t f, std::uint32_t g) {
  return (e & f) ^ (~e & g);
}
std::uint32_t majority(std::uint32_t a, std::uint32_t b, std::uint32_t c) {
  return (a & b) ^ (a & c) ^ (b & c);
}

// One SHA-256 round on s = {a..h}.
void round(std::uint32_t (&s)[8], std::uint32_t k_plus_w) {
  const std::uint32_t t1 = s[7] + big_sigma1(s[4]) + choose(s[4], s[5], s[6]) + k_plus_w;
  const std::uint32_t t2 = big_sigma0(s[0]) + majority(s[0], s[1], s[2]);
  for (int i = 7; i > 0; --i) s[i] = s[i - 1];
  s[4] += t1;
  s[0] = t1 + t2;
}

}  // namespace

void precompute_mining(const Work& work, MiningPrecompute& out) {
  for (int i = 0; i < 64; ++i) out.k[i] = kSha256K[i];
  for (int i = 0; i < 8; ++i) out.midstate[i] = work.midstate[i];
  for (int i = 0; i < 3; ++i) out.tail[i] = work.tail[i];
  const std::uint32_t* k = out.k;

  // Hash 1, rounds 0..3 (round 3 with n = 0: n enters a and e additively).
  std::uint32_t s[8];
  for (int i = 0; i < 8; ++i) s[i] = work.midstate[i];
  for (int i = 0; i < 3; ++i) round(s, k[i] + work.tail[i]);
  round(s, k[3]);
  for (int i = 0; i < 8; ++i) out.state3[i] = s[i];

  constexpr std::uint32_t kPad1 = 0x80000000u, kLen1 = 640;
  out.w16 = small_sigma0(work.tail[1]) + work.tail[0];
  out.w17 = small_sigma1(kLen1) + small_sigma0(work.tail[2]) + work.tail[1];
  out.w18_base = small_sigma1(out.w16) + work.tail[2];
  out.w19_base = small_sigma1(out.w17) + small_sigma0(kPad1);
  out.w30_add = small_sigma0(kLen1);
  out.w31_add = small_sigma0(out.w16) + kLen1;
  for (int i = 0; i < 18; ++i) out.kw1[i] = k[i];
  out.kw1[4] += kPad1;
  out.kw1[15] += kLen1;
  out.kw1[16] += out.w16;
  out.kw1[17] += out.w17;

  // Hash 2, round 0 from the IV with W0 = 0 (W0 enters a and e additively).
  for (int i = 0; i < 8; ++i) out.iv[i] = kSha256Iv[i];
  std::uint32_t t[8];
  for (int i = 0; i < 8; ++i) t[i] = kSha256Iv[i];
  round(t, k[0]);
  out.h2_a1_base = t[0];
  out.h2_e1_base = t[4];
  constexpr std::uint32_t kPad2 = 0x80000000u, kLen2 = 256;
  for (int i = 0; i < 16; ++i) out.kw2[i] = k[i];
  out.kw2[8] += kPad2;
  out.kw2[15] += kLen2;
  out.h2_w17_add = small_sigma1(kLen2);
  out.h2_w23_add = small_sigma0(kPad2);
  out.h2_w30_add = small_sigma0(kLen2);

  out.target_limb7 = work.target.limbs[7];
}

void append_candidate(Candidates& out, std::uint32_t nonce) {
  out.nonces.push_back(nonce);
}

}  // namespace ih::kernels::cpu
