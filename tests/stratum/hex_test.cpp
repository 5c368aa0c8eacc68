#include "ih/stratum/protocol/hex.hpp"

#include <gtest/gtest.h>

namespace {

using namespace ih::stratum;

TEST(Hex, RoundTripsBothCases) {
  auto b = from_hex("00ffAb10");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*b, (Bytes{0x00, 0xff, 0xab, 0x10}));
  EXPECT_EQ(to_hex(*b), "00ffab10");
  EXPECT_TRUE(from_hex("").ok());
}

TEST(Hex, OddLengthIsAnError) {
  auto b = from_hex("abc");
  ASSERT_FALSE(b.ok());
  EXPECT_NE(b.error().message.find("odd length"), std::string::npos);
}

TEST(Hex, NonHexCharacterIsAnError) {
  for (const char* bad : {"0g", "zz", "12 4", "0x12", "ab\n1"}) {
    auto b = from_hex(bad);
    EXPECT_FALSE(b.ok()) << bad;
  }
  EXPECT_NE(from_hex("00g0").error().message.find("offset 2"), std::string::npos);
}

TEST(Hex, WrongExpectedLengthIsAnError) {
  EXPECT_FALSE(from_hex("0011", 4).ok());
  EXPECT_TRUE(from_hex("00112233", 4).ok());
  EXPECT_FALSE(hash_from_hex(std::string(62, '0')).ok());
  EXPECT_FALSE(u32_from_be_hex("1234567").ok());
  EXPECT_FALSE(u32_from_be_hex("123456789a").ok());
}

TEST(Hex, U32IsBigEndianHex) {
  auto v = u32_from_be_hex("1d00ffff");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, 0x1d00ffffu);
  EXPECT_EQ(u32_to_be_hex(0x0045e964u), "0045e964");
}

}  // namespace
