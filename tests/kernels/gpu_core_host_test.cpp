// The device math of the CUDA and OpenCL kernels (gpu/sha256d_mining_core.h), compiled as plain
// C++ and run on the CPU against the reference sha256d.
#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

#include "gpu/gpu_mining_job.hpp"
#include "gpu/sha256d_mining_core.h"
#include "gpu_test_support.hpp"

namespace {

using ih::kernels::Work;
using ih::test::make_test_work;
using ih::test::reference_candidates;

// The CUDA/OpenCL kernel loop, for one launch, as the device runs it: groups of `group_size`
// threads, each hashing `per_thread` nonces strided by the group size.
std::vector<std::uint32_t> emulate_launch(const IhMiningJob& job, std::uint32_t first,
                                          std::uint32_t count, std::uint32_t group_size,
                                          std::uint32_t per_thread) {
  std::vector<std::uint32_t> found;
  const std::uint32_t span = group_size * per_thread;
  const std::uint32_t groups = (count + span - 1) / span;
  for (std::uint32_t group = 0; group < groups; ++group)
    for (std::uint32_t thread = 0; thread < group_size; ++thread) {
      const std::uint32_t base = group * span + thread;
      for (std::uint32_t i = 0; i < per_thread; ++i) {
        const std::uint32_t offset = base + i * group_size;
        if (offset >= count) break;
        if (ih_sha256d_is_candidate(job, first + offset)) found.push_back(first + offset);
      }
    }
  return ih::test::sorted(found);
}

TEST(GpuCoreOnHost, H7MatchesReferenceForEveryNonce) {
  const Work work = make_test_work(11, 0);
  const IhMiningJob job = ih::kernels::gpu::make_mining_job(work);
  for (std::uint32_t nonce = 0; nonce < 20000; ++nonce) {
    const ih::Uint256 hash = ih::Uint256::from_le_bytes(ih::kernels::reference_hash(work, nonce));
    ASSERT_EQ(__builtin_bswap32(ih_sha256d_h7(job, nonce)), hash.limbs[7]) << "nonce " << nonce;
  }
}

TEST(GpuCoreOnHost, ExactCandidateSetsOver100kNonces) {
  // ~1/256 of nonces are candidates: hundreds of them, each compared.
  const std::uint32_t first = 0x12345678;
  const std::uint32_t count = 100000;
  const Work work = make_test_work(7, 0x00ffffff);
  const std::vector<std::uint32_t> expected = reference_candidates(work, first, count);
  ASSERT_GT(expected.size(), 300u);
  const IhMiningJob job = ih::kernels::gpu::make_mining_job(work);
  EXPECT_EQ(emulate_launch(job, first, count, 256, 16), expected);
}

TEST(GpuCoreOnHost, TargetBoundariesAndRangeWrap) {
  // Ranges that wrap at 2^32, odd sizes that leave partial groups, and targets from "nothing"
  // to "everything".
  struct Case {
    std::uint32_t seed, target7, first, count, group, per_thread;
  };
  const Case cases[] = {{1, 0x0000ffff, 0xfffff000u, 9000, 64, 8},
                        {2, 0xffffffff, 0xffffff00u, 1000, 32, 3},
                        {3, 0x00000000, 0, 5000, 128, 4},
                        {4, 0x01ffffff, 0xfffffffeu, 4097, 1, 1}};
  for (const Case& c : cases) {
    const Work work = make_test_work(c.seed, c.target7);
    const IhMiningJob job = ih::kernels::gpu::make_mining_job(work);
    EXPECT_EQ(emulate_launch(job, c.first, c.count, c.group, c.per_thread),
              reference_candidates(work, c.first, c.count))
        << "seed " << c.seed;
  }
}

TEST(GpuCoreOnHost, CandidateTestIsInclusiveAtTheTarget) {
  const Work probe = make_test_work(5, 0);
  const std::uint32_t nonce = 777;
  const std::uint32_t limb7 =
      ih::Uint256::from_le_bytes(ih::kernels::reference_hash(probe, nonce)).limbs[7];
  Work at = probe;
  at.target.limbs[7] = limb7;
  EXPECT_TRUE(ih_sha256d_is_candidate(ih::kernels::gpu::make_mining_job(at), nonce));
  if (limb7 > 0) {
    Work below = probe;
    below.target.limbs[7] = limb7 - 1;
    EXPECT_FALSE(ih_sha256d_is_candidate(ih::kernels::gpu::make_mining_job(below), nonce));
  }
}

}  // namespace

namespace {

TEST(GpuCandidateRecheck, DropsAndCountsWhatTheReferenceRejects) {
  const Work work = make_test_work(9, 0x00ffffff);
  const std::vector<std::uint32_t> expected = reference_candidates(work, 0, 3000);
  ASSERT_FALSE(expected.empty());
  std::uint32_t wrong = 0;
  while (std::binary_search(expected.begin(), expected.end(), wrong)) ++wrong;
  // A device reports in any order; one report is bogus, as from a faulty GPU.
  std::vector<std::uint32_t> device(expected.rbegin(), expected.rend());
  device.insert(device.begin() + static_cast<std::ptrdiff_t>(device.size() / 2), wrong);
  std::vector<std::uint32_t> out{42};  // existing entries are kept
  EXPECT_EQ(ih::kernels::gpu::append_confirmed(work, device, out), 1u);
  std::vector<std::uint32_t> want{42};
  want.insert(want.end(), expected.begin(), expected.end());
  EXPECT_EQ(out, want);
  EXPECT_TRUE(device.empty());
}

}  // namespace
