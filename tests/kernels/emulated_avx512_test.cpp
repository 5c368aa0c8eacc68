// The AVX-512 algorithm proven on any CPU: the very scan_lanes<> instantiation the AVX-512
// kernel uses (TernlogShaOps, kAvx512Groups groups of 16 lanes, the same vpternlogd immediates),
// over a portable 16-lane type whose ternlog implements vpternlogd bit for bit. Only the mapping
// of these primitives onto the real intrinsics is left to the avx512 catalog test, which runs
// where the CPU has AVX-512.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <random>

#include "cpu/mining_precompute.hpp"
#include "cpu/scan_functions.hpp"
#include "cpu/ternlog_sha_ops.hpp"
#include "scanner_checks.hpp"

namespace ih::kernels {
namespace {

struct Emu16Prims {
  struct V {
    std::array<std::uint32_t, 16> lane;
  };
  static constexpr std::uint32_t kLanes = 16;
  template <class F>
  static V map(const V& a, F f) {
    V r;
    for (int i = 0; i < 16; ++i) r.lane[i] = f(a.lane[i]);
    return r;
  }
  static V set1(std::uint32_t x) {
    V r;
    r.lane.fill(x);
    return r;
  }
  static V add(const V& a, const V& b) {
    V r;
    for (int i = 0; i < 16; ++i) r.lane[i] = a.lane[i] + b.lane[i];
    return r;
  }
  static V sub(const V& a, const V& b) {
    V r;
    for (int i = 0; i < 16; ++i) r.lane[i] = a.lane[i] - b.lane[i];
    return r;
  }
  static V iota(std::uint32_t base) {
    V r;
    for (std::uint32_t i = 0; i < 16; ++i) r.lane[i] = base + i;
    return r;
  }
  template <int N>
  static V rotr(const V& x) {
    return map(x, [](std::uint32_t v) { return std::rotr(v, N); });
  }
  template <int N>
  static V shr(const V& x) {
    return map(x, [](std::uint32_t v) { return v >> N; });
  }
  // vpternlogd: result bit = bit ((a << 2) | (b << 1) | c) of the immediate, for every bit;
  // evaluated as the OR of the truth table's selected minterms, 32 bits at a time.
  template <std::uint8_t Imm>
  static V ternlog(const V& a, const V& b, const V& c) {
    V r;
    for (int i = 0; i < 16; ++i) {
      const std::uint32_t x = a.lane[i], y = b.lane[i], z = c.lane[i];
      std::uint32_t out = 0;
      for (unsigned index = 0; index < 8; ++index)
        if ((Imm >> index) & 1u)
          out |= ((index & 4u) ? x : ~x) & ((index & 2u) ? y : ~y) & ((index & 1u) ? z : ~z);
      r.lane[i] = out;
    }
    return r;
  }
  // The same definition bit by bit, to check the fast form above.
  template <std::uint8_t Imm>
  static std::uint32_t ternlog_bitwise(std::uint32_t x, std::uint32_t y, std::uint32_t z) {
    std::uint32_t out = 0;
    for (int bit = 0; bit < 32; ++bit) {
      const unsigned index =
          (((x >> bit) & 1u) << 2) | (((y >> bit) & 1u) << 1) | ((z >> bit) & 1u);
      out |= static_cast<std::uint32_t>((Imm >> index) & 1u) << bit;
    }
    return out;
  }
  static std::uint32_t le_mask(const V& x, const V& t) {
    std::uint32_t m = 0;
    for (int i = 0; i < 16; ++i) m |= static_cast<std::uint32_t>(x.lane[i] <= t.lane[i]) << i;
    return m;
  }
};

using Emu16Ops = cpu::TernlogShaOps<Emu16Prims>;

class EmulatedAvx512Scanner final : public Scanner {
 public:
  std::string_view name() const override { return "emulated-avx512"; }
  unsigned lanes() const override { return 16 * cpu::kAvx512Groups; }
  std::uint64_t scan(const Work& work, std::uint32_t first, std::uint32_t count,
                     Candidates& out) override {
    cpu::MiningPrecompute pre;
    cpu::precompute_mining(work, pre);
    cpu::scan_lanes<Emu16Ops, cpu::kAvx512Groups>(pre, first, count, out);
    return count;
  }
};

TEST(EmulatedTernlog, ImmediatesMeanWhatTheSha256FunctionsNeed) {
  std::mt19937 rng(1);
  for (int round = 0; round < 64; ++round) {
    Emu16Prims::V a, b, c;
    for (int i = 0; i < 16; ++i) a.lane[i] = rng(), b.lane[i] = rng(), c.lane[i] = rng();
    const auto ch = Emu16Ops::ch(a, b, c), maj = Emu16Ops::maj(a, b, c);
    const auto x3 = Emu16Ops::xor3(a, b, c), sw = Emu16Ops::bswap(a);
    const auto s0 = Emu16Ops::bsig0(a), s1 = Emu16Ops::bsig1(a);
    const auto q0 = Emu16Ops::ssig0(a), q1 = Emu16Ops::ssig1(a);
    for (int i = 0; i < 16; ++i) {
      const std::uint32_t x = a.lane[i], y = b.lane[i], z = c.lane[i];
      EXPECT_EQ(ch.lane[i], (x & y) ^ (~x & z));
      EXPECT_EQ(ch.lane[i], Emu16Prims::ternlog_bitwise<cpu::kTernChoose>(x, y, z));
      EXPECT_EQ(maj.lane[i], Emu16Prims::ternlog_bitwise<cpu::kTernMajority>(x, y, z));
      EXPECT_EQ(x3.lane[i], Emu16Prims::ternlog_bitwise<cpu::kTernXor3>(x, y, z));
      EXPECT_EQ(maj.lane[i], (x & y) ^ (x & z) ^ (y & z));
      EXPECT_EQ(x3.lane[i], x ^ y ^ z);
      EXPECT_EQ(sw.lane[i], __builtin_bswap32(x));
      EXPECT_EQ(s0.lane[i], std::rotr(x, 2) ^ std::rotr(x, 13) ^ std::rotr(x, 22));
      EXPECT_EQ(s1.lane[i], std::rotr(x, 6) ^ std::rotr(x, 11) ^ std::rotr(x, 25));
      EXPECT_EQ(q0.lane[i], std::rotr(x, 7) ^ std::rotr(x, 18) ^ (x >> 3));
      EXPECT_EQ(q1.lane[i], std::rotr(x, 17) ^ std::rotr(x, 19) ^ (x >> 10));
    }
  }
}

TEST(EmulatedAvx512Scan, ExactCandidateSetOnRandomWork) {
  EmulatedAvx512Scanner scanner;
  testing::check_random_work_exact_set(scanner);
}
TEST(EmulatedAvx512Scan, TargetBoundaries) {
  EmulatedAvx512Scanner scanner;
  testing::check_target_boundaries(scanner);
}
TEST(EmulatedAvx512Scan, CountsAndWrappingRanges) {
  EmulatedAvx512Scanner scanner;
  testing::check_ranges(scanner);
}
TEST(EmulatedAvx512Scan, RolledVersionBits) {
  EmulatedAvx512Scanner scanner;
  testing::check_rolled_versions(scanner);
}

}  // namespace
}  // namespace ih::kernels
