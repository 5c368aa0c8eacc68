#include "ih/stratum/protocol/target.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace {

using ih::Uint256;
using namespace ih::stratum;

TEST(Target, DifficultyOneIsDiff1) {
  auto t = difficulty_to_target(1.0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to_hex(), "00000000ffff0000000000000000000000000000000000000000000000000000");
  EXPECT_EQ(*t, diff1_target());
}

TEST(Target, KnownDifficulties) {
  // diff 2^32 shifts diff1 right by exactly 32 bits.
  auto t = difficulty_to_target(4294967296.0);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to_hex(), "0000000000000000ffff00000000000000000000000000000000000000000000");
  // diff 0.001 is diff1 * 1000, rounded down (the double 0.001 is a hair above 1/1000).
  auto easy = difficulty_to_target(0.001);
  ASSERT_TRUE(easy.ok());
  EXPECT_EQ(easy->to_hex().substr(0, 16), "000003e7fc17ffff");
}

TEST(Target, RoundTrips) {
  for (double d : {0.001, 1.0, 4294967296.0, 1e12, 3.5, 65536.0, 1.0 / 3}) {
    auto t = difficulty_to_target(d);
    ASSERT_TRUE(t.ok()) << d;
    auto back = target_to_difficulty(*t);
    ASSERT_TRUE(back.ok()) << d;
    EXPECT_NEAR(*back / d, 1.0, 1e-9) << d;
  }
}

TEST(Target, InvalidDifficultiesAreErrors) {
  for (double d :
       {0.0, -1.0, -0.0, std::numeric_limits<double>::quiet_NaN(),
        std::numeric_limits<double>::infinity(), -std::numeric_limits<double>::infinity(), 1e300}) {
    EXPECT_FALSE(difficulty_to_target(d).ok()) << d;
  }
  EXPECT_FALSE(target_to_difficulty(Uint256{}).ok());
}

TEST(Target, TinyDifficultySaturates) {
  auto t = difficulty_to_target(1e-20);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, Uint256::max());
}

TEST(Target, HashEqualToTargetMeetsItAndOneMoreDoesNot) {
  auto t = difficulty_to_target(1e6);
  ASSERT_TRUE(t.ok());
  EXPECT_TRUE(ih::hash_meets_target(t->to_le_bytes(), *t));
  EXPECT_FALSE(ih::hash_meets_target(increment(*t).to_le_bytes(), *t));
  EXPECT_NEAR(share_difficulty(t->to_le_bytes()), 1e6, 1e-3);
}

TEST(Nbits, GenesisBits) {
  auto t = nbits_to_target(0x1d00ffff);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, diff1_target());
}

TEST(Nbits, RegtestBits) {
  auto t = nbits_to_target(0x207fffff);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to_hex(), "7fffff0000000000000000000000000000000000000000000000000000000000");
}

TEST(Nbits, MainnetBits) {
  auto t = nbits_to_target(0x170331db);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->to_hex(), "0000000000000000000331db0000000000000000000000000000000000000000");
}

TEST(Nbits, SmallExponent) {
  auto t = nbits_to_target(0x03123456);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->limbs[0], 0x123456u);
  auto shifted = nbits_to_target(0x02123456);
  ASSERT_TRUE(shifted.ok());
  EXPECT_EQ(shifted->limbs[0], 0x1234u);
}

TEST(Nbits, SignBitOverflowAndZeroAreErrors) {
  EXPECT_FALSE(nbits_to_target(0x1d80ffff).ok());  // sign bit
  EXPECT_FALSE(nbits_to_target(0x2300ffff).ok());  // exponent 35
  EXPECT_FALSE(nbits_to_target(0x22010000).ok());  // mantissa > 0xffff at exponent 34
  EXPECT_FALSE(nbits_to_target(0x1d000000).ok());  // zero
  EXPECT_TRUE(nbits_to_target(0x2100ffff).ok());   // largest that fits
}

}  // namespace
