// Checks every CPU scanner must pass against the reference, shared by the catalog test and the
// emulated AVX-512 test.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "ih/kernels/scanner.hpp"
#include "ih/kernels/scanner_catalog.hpp"
#include "ih/kernels/share_check.hpp"
#include "ih/kernels/work.hpp"

namespace ih::kernels::testing {

// Sanitizer builds hash ~10x slower; the full-size comparison runs in the normal build.
#if defined(__SANITIZE_ADDRESS__) || defined(IH_SLOW)
inline constexpr std::uint32_t kExactSetNonces = 20'000;
#else
inline constexpr std::uint32_t kExactSetNonces = 100'000;
#endif

inline Header80 random_header(std::mt19937& rng) {
  Header80 header{};
  for (auto& b : header) b = static_cast<std::uint8_t>(rng());
  return header;
}

// Target whose limb 7 is `top` and whose lower limbs are random (so the 256-bit confirm matters).
inline Uint256 target_with_top(std::mt19937& rng, std::uint32_t top) {
  Uint256 t;
  for (auto& limb : t.limbs) limb = rng();
  t.limbs[7] = top;
  return t;
}

inline Uint256 decrement(Uint256 v) {
  for (auto& limb : v.limbs)
    if (limb-- != 0) break;
  return v;
}

inline std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> v) {
  std::sort(v.begin(), v.end());
  return v;
}

inline std::vector<std::uint32_t> scan_all(Scanner& scanner, const Work& work, std::uint32_t first,
                                           std::uint32_t count) {
  Candidates out;
  EXPECT_EQ(scanner.scan(work, first, count, out), count) << scanner.name();
  return out.nonces;
}

// The exact candidate set of the reference scanner, and the confirmed shares among it.
inline void expect_same_candidates(Scanner& scanner, const Work& work, std::uint32_t first,
                                   std::uint32_t count) {
  const auto reference = make_reference_scanner();
  Candidates expected, got;
  reference->scan(work, first, count, expected);
  ASSERT_EQ(scanner.scan(work, first, count, got), count);
  EXPECT_EQ(sorted(got.nonces), sorted(expected.nonces)) << scanner.name();
  EXPECT_EQ(sorted(confirm_shares(work, got)), sorted(confirm_shares(work, expected)));
}

inline void check_random_work_exact_set(Scanner& scanner) {
  std::mt19937 rng(20261129);
  // limb 7 <= 0x00ffffff: one nonce in 256 is a candidate, about a fifth of those a share.
  const Work work = make_work(random_header(rng), target_with_top(rng, 0x00ffffffu));
  expect_same_candidates(scanner, work, rng(), kExactSetNonces);
}

inline Candidates as_candidates(const std::vector<std::uint32_t>& nonces) {
  Candidates c;
  c.nonces = nonces;
  return c;
}

inline bool contains(const std::vector<std::uint32_t>& v, std::uint32_t x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

// A hash exactly equal to the target is a share; with target = hash - 1 it is not (but still a
// candidate: limb 7 is equal); with limb 7 one lower it is not even a candidate. The nonce is
// placed at every lane position of the batch.
inline void check_target_boundaries(Scanner& scanner) {
  std::mt19937 rng(7);
  const Header80 header = random_header(rng);
  const std::uint32_t nonce = 0x12345678u;
  const Uint256 hash = Uint256::from_le_bytes(reference_hash(make_work(header, Uint256{}), nonce));
  ASSERT_GT(hash.limbs[7], 0u);
  const Work exact = make_work(header, hash);
  const Work one_below = make_work(header, decrement(hash));
  Uint256 top_below = hash;
  top_below.limbs[7] -= 1;
  const Work limb_below = make_work(header, top_below);
  constexpr std::uint32_t kCount = 40;
  for (std::uint32_t offset = 0; offset < kCount; ++offset) {
    const std::uint32_t first = nonce - offset;
    expect_same_candidates(scanner, exact, first, kCount);
    expect_same_candidates(scanner, one_below, first, kCount);
    expect_same_candidates(scanner, limb_below, first, kCount);
    const auto at_exact = scan_all(scanner, exact, first, kCount);
    const auto at_one_below = scan_all(scanner, one_below, first, kCount);
    EXPECT_TRUE(contains(confirm_shares(exact, as_candidates(at_exact)), nonce)) << offset;
    EXPECT_TRUE(contains(at_one_below, nonce)) << offset;
    EXPECT_FALSE(contains(confirm_shares(one_below, as_candidates(at_one_below)), nonce)) << offset;
    EXPECT_FALSE(contains(scan_all(scanner, limb_below, first, kCount), nonce)) << offset;
  }
}

inline std::vector<std::uint32_t> consecutive(std::uint32_t first, std::uint32_t count) {
  std::vector<std::uint32_t> v;
  for (std::uint32_t i = 0; i < count; ++i) v.push_back(first + i);
  return sorted(v);
}

// With the maximum target every nonce is a candidate: the set shows exactly what was hashed.
inline void check_ranges(Scanner& scanner) {
  std::mt19937 rng(99);
  const Work work = make_work(random_header(rng), Uint256::max());
  EXPECT_TRUE(scan_all(scanner, work, 5, 0).empty());
  EXPECT_EQ(scan_all(scanner, work, 0xfffffffeu, 1), consecutive(0xfffffffeu, 1));
  for (std::uint32_t count : {2u, 3u, 7u, 15u, 17u, 31u, 33u, 37u, 100u})
    EXPECT_EQ(sorted(scan_all(scanner, work, 1000, count)), consecutive(1000, count)) << count;
  // Wrapping at 0xffffffff, starting at every alignment.
  for (std::uint32_t back = 1; back <= 40; ++back)
    EXPECT_EQ(sorted(scan_all(scanner, work, 0u - back, 50)), consecutive(0u - back, 50)) << back;
  // And at an ordinary target, across the wrap.
  const Work easy = make_work(random_header(rng), target_with_top(rng, 0x0fffffffu));
  expect_same_candidates(scanner, easy, 0xffffff00u, 600);
}

// Headers that differ only in rolled version bits (BIP 310 mask 0x1fffe000) are different work.
inline void check_rolled_versions(Scanner& scanner) {
  std::mt19937 rng(310);
  Header80 header = random_header(rng);
  const Uint256 target = target_with_top(rng, 0x03ffffffu);
  std::vector<std::vector<std::uint32_t>> found;
  for (std::uint32_t rolled : {0x00000000u, 0x00002000u, 0x1fffe000u}) {
    const std::uint32_t version = 0x20000000u | rolled;
    for (int i = 0; i < 4; ++i) header[i] = static_cast<std::uint8_t>(version >> (8 * i));
    const Work work = make_work(header, target);
    expect_same_candidates(scanner, work, 4096, 4000);
    found.push_back(sorted(scan_all(scanner, work, 4096, 4000)));
  }
  EXPECT_NE(found[0], found[1]);
  EXPECT_NE(found[1], found[2]);
}

}  // namespace ih::kernels::testing
