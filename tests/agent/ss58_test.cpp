#include "config/ss58.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace ih::agent;

// Substrate's well-known development account "Alice" (generic network 42).
const std::string kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

TEST(Ss58, AcceptsAKnownAddress) {
  auto a = parse_ss58(kAlice);
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->network, 42);
  ASSERT_EQ(a->account_id.size(), 32u);
  EXPECT_EQ(a->account_id[0], 0xd4);
  EXPECT_EQ(a->account_id[31], 0x7d);
}

TEST(Ss58, EncodeRoundTripsOneAndTwoBytePrefixes) {
  std::vector<std::uint8_t> account(32);
  for (std::size_t i = 0; i < account.size(); ++i) account[i] = static_cast<std::uint8_t>(i * 7);
  for (std::uint16_t network : {0, 2, 42, 63, 64, 255, 1000, 16383}) {
    const std::string text = encode_ss58(network, account);
    auto back = parse_ss58(text);
    ASSERT_TRUE(back.ok()) << network << ": " << back.error().message;
    EXPECT_EQ(back->network, network);
    EXPECT_EQ(back->account_id, account);
  }
}

TEST(Ss58, ReencodingAliceGivesAlice) {
  auto a = parse_ss58(kAlice);
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(encode_ss58(a->network, a->account_id), kAlice);
}

TEST(Ss58, ChecksumMismatchIsRejected) {
  std::string typo = kAlice;
  typo[10] = typo[10] == 'a' ? 'b' : 'a';
  auto r = parse_ss58(typo);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("checksum"), std::string::npos) << r.error().message;
}

TEST(Ss58, WrongLengthIsRejected) {
  const std::vector<std::uint8_t> forty(40, 0x11);  // right alphabet, wrong size
  auto r = parse_ss58(base58_encode(forty));
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("bytes"), std::string::npos) << r.error().message;
  auto cut = parse_ss58(kAlice.substr(0, 44));
  EXPECT_FALSE(cut.ok());
}

TEST(Ss58, NonBase58CharactersAreRejected) {
  for (char bad : {'0', 'O', 'I', 'l', '-'}) {
    std::string s = kAlice;
    s[5] = bad;
    auto r = parse_ss58(s);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_NE(r.error().message.find("not a base58 character"), std::string::npos)
        << r.error().message;
  }
}

TEST(Ss58, AHotkeyNameGetsAnErrorThatSaysSo) {
  for (const char* name : {"default", "my-hotkey", "miner1", ""}) {
    auto r = parse_ss58(name);
    ASSERT_FALSE(r.ok()) << name;
    EXPECT_NE(r.error().message.find("hotkey SS58 address is expected"), std::string::npos)
        << r.error().message;
  }
}

TEST(Ss58, Sn89WorkerName) {
  auto name = sn89_worker_name("sn89auction", kAlice, "rig1");
  ASSERT_TRUE(name.ok()) << name.error().message;
  EXPECT_EQ(*name, "sn89auction." + kAlice + ".rig1");
  EXPECT_FALSE(sn89_worker_name("sn89auction", kAlice, "").ok());
  EXPECT_FALSE(sn89_worker_name("sn89auction", kAlice, "rig.1").ok());
  EXPECT_FALSE(sn89_worker_name("sn89auction", "default", "rig1").ok());
}

TEST(Base58, KnownVectors) {
  const std::vector<std::uint8_t> hello = {'h', 'e', 'l', 'l', 'o'};
  EXPECT_EQ(base58_encode(hello), "Cn8eVZg");
  const std::vector<std::uint8_t> zeros = {0, 0, 1};
  EXPECT_EQ(base58_encode(zeros), "112");
  auto back = base58_decode("112");
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, zeros);
}

}  // namespace
