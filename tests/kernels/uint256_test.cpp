#include "ih/kernels/uint256.hpp"

#include <gtest/gtest.h>

namespace {

using ih::Uint256;

TEST(Uint256, LittleEndianBytesRoundTrip) {
  ih::Hash256 bytes{};
  for (int i = 0; i < 32; ++i) bytes[i] = static_cast<std::uint8_t>(i + 1);
  const Uint256 v = Uint256::from_le_bytes(bytes);
  EXPECT_EQ(v.limbs[0], 0x04030201u);
  EXPECT_EQ(v.limbs[7], 0x201f1e1du);
  EXPECT_EQ(v.to_le_bytes(), bytes);
  EXPECT_EQ(v.to_hex().substr(0, 8), "201f1e1d");
}

TEST(Uint256, OrderingIsByMostSignificantLimb) {
  Uint256 small, big;
  small.limbs[0] = 0xffffffff;
  big.limbs[7] = 1;
  EXPECT_LT(small, big);
  EXPECT_EQ(increment(small).limbs[1], 1u);
  EXPECT_EQ(increment(Uint256::max()), Uint256{});
}

TEST(Uint256, HashMeetsTargetAtTheBoundary) {
  Uint256 target;
  target.limbs[6] = 0x1234;
  const ih::Hash256 equal = target.to_le_bytes();
  EXPECT_TRUE(ih::hash_meets_target(equal, target));
  const ih::Hash256 above = increment(target).to_le_bytes();
  EXPECT_FALSE(ih::hash_meets_target(above, target));
}

}  // namespace
