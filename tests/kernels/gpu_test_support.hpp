// Shared by the GPU scanner tests: deterministic work and the reference candidate set.
#pragma once

#include <algorithm>
#include <cstdint>
#include <random>
#include <vector>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/kernels/work.hpp"

namespace ih::test {

// A header of seed-derived bytes; only limb 7 of the target matters to scanners.
inline kernels::Work make_test_work(std::uint32_t seed, std::uint32_t target_limb7) {
  std::mt19937 rng(seed);
  Header80 header{};
  for (auto& byte : header) byte = static_cast<std::uint8_t>(rng());
  Uint256 target;
  target.limbs[7] = target_limb7;
  for (int i = 0; i < 7; ++i) target.limbs[i] = 0xffffffff;
  return kernels::make_work(header, target);
}

// What the reference scanner reports for [first, first + count), sorted.
inline std::vector<std::uint32_t> reference_candidates(const kernels::Work& work,
                                                       std::uint32_t first, std::uint32_t count) {
  kernels::Candidates out;
  kernels::make_reference_scanner()->scan(work, first, count, out);
  std::sort(out.nonces.begin(), out.nonces.end());
  return out.nonces;
}

inline std::vector<std::uint32_t> sorted(std::vector<std::uint32_t> nonces) {
  std::sort(nonces.begin(), nonces.end());
  return nonces;
}

}  // namespace ih::test
