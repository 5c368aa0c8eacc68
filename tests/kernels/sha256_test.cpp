// The reference SHA-256 against FIPS 180 vectors and OpenSSL (the oracle).
#include "ih/kernels/sha256.hpp"

#include <gtest/gtest.h>
#include <openssl/sha.h>

#include <random>
#include <string>
#include <vector>

#include "ih/hex_encode.hpp"
#include "ih/kernels/cpu_features.hpp"
#include "ih/kernels/work.hpp"

namespace {

using ih::Hash256;
using ih::kernels::Sha256;

std::string hex(const Hash256& h) {
  return ih::hex_encode(h);
}

std::span<const std::uint8_t> bytes(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

Hash256 openssl_sha256(std::span<const std::uint8_t> data) {
  Hash256 out{};
  SHA256(data.data(), data.size(), out.data());
  return out;
}

TEST(Sha256, Fips180Empty) {
  EXPECT_EQ(hex(ih::kernels::sha256(bytes(""))),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Sha256, Fips180Abc) {
  EXPECT_EQ(hex(ih::kernels::sha256(bytes("abc"))),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, Fips180TwoBlock448Bit) {
  EXPECT_EQ(
      hex(ih::kernels::sha256(bytes("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, Fips180_896Bit) {
  EXPECT_EQ(hex(ih::kernels::sha256(bytes(
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopq"
                "klmnopqrlmnopqrsmnopqrstnopqrstu"))),
            "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
}

TEST(Sha256, Fips180OneMillionA) {
  // Fed in uneven pieces to exercise the incremental buffer.
  Sha256 h;
  const std::string chunk(997, 'a');
  std::size_t left = 1'000'000;
  while (left > 0) {
    const std::size_t n = std::min(left, chunk.size());
    h.update(bytes(chunk).first(n));
    left -= n;
  }
  EXPECT_EQ(hex(h.finish()), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(Sha256, RandomMessagesMatchOpenSsl) {
  std::mt19937_64 rng(20261129);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  for (int i = 0; i < 10'000; ++i) {
    std::vector<std::uint8_t> msg(length(rng));
    for (auto& b : msg) b = static_cast<std::uint8_t>(rng());
    // Split the message at a random point so update() sees two pieces.
    const std::size_t cut = msg.empty() ? 0 : rng() % (msg.size() + 1);
    Sha256 h;
    h.update(std::span(msg).first(cut)).update(std::span(msg).subspan(cut));
    const Hash256 ours = h.finish();
    ASSERT_EQ(ours, openssl_sha256(msg)) << "length " << msg.size() << " cut " << cut;
    ASSERT_EQ(ih::kernels::sha256(msg), ours);
  }
}

TEST(Sha256, FastestCompressionMatchesTheReferenceAndOpenSsl) {
  // On a CPU with SHA-NI this checks the SHA-NI compression; elsewhere it is the reference.
  if (ih::kernels::cpu_features().sha_ni) {
    EXPECT_NE(ih::kernels::fastest_sha256_compress(), &ih::kernels::sha256_compress);
  }
  std::mt19937_64 rng(20261202);
  std::uniform_int_distribution<std::size_t> length(0, 300);
  for (int i = 0; i < 10'000; ++i) {
    std::vector<std::uint8_t> msg(length(rng));
    for (auto& b : msg) b = static_cast<std::uint8_t>(rng());
    const Hash256 fast = Sha256(ih::kernels::fastest_sha256_compress()).update(msg).finish();
    ASSERT_EQ(fast, openssl_sha256(msg)) << "length " << msg.size();
    ASSERT_EQ(ih::kernels::sha256d_fast(msg), ih::kernels::sha256d(msg)) << "length " << msg.size();
  }
}

TEST(Sha256, MidstatePlusTailEqualsOneShot) {
  std::mt19937_64 rng(7);
  for (int i = 0; i < 1000; ++i) {
    ih::Header80 header{};
    for (auto& b : header) b = static_cast<std::uint8_t>(rng());
    const auto mid =
        ih::kernels::sha256_midstate(std::span<const std::uint8_t, 64>(header.data(), 64));
    Sha256 incremental;
    incremental.update(std::span(header).first(64));
    EXPECT_EQ(mid, incremental.state());
    const Hash256 via_midstate = ih::kernels::sha256d_header_from_midstate(
        mid, std::span<const std::uint8_t, 16>(header.data() + 64, 16));
    const Hash256 once = openssl_sha256(openssl_sha256(header));
    ASSERT_EQ(via_midstate, once);
    ASSERT_EQ(ih::kernels::sha256d(header), once);
  }
}

TEST(Sha256d, GenesisBlockHeader) {
  // Block 0: version 1, zero prevhash, merkle root 4a5e1e4b..., time 1231006505, bits 1d00ffff,
  // nonce 2083236893.
  const std::string header_hex =
      "0100000000000000000000000000000000000000000000000000000000000000000000003ba3edfd7a7b12b2"
      "7ac72c3e67768f617fc81bc3888a51323a9fb8aa4b1e5e4a29ab5f49ffff001d1dac2b7c";
  ih::Header80 header{};
  for (std::size_t i = 0; i < header.size(); ++i)
    header[i] = static_cast<std::uint8_t>(std::stoi(header_hex.substr(2 * i, 2), nullptr, 16));
  Hash256 h = ih::kernels::sha256d(header);
  std::reverse(h.begin(), h.end());  // display order
  EXPECT_EQ(hex(h), "000000000019d6689c085ae165831e934ff763ae46a2a6c172b3f1b60a8ce26f");

  const auto work = ih::kernels::make_work(header, ih::Uint256::max());
  Hash256 via_work = ih::kernels::reference_hash(work, ih::kernels::header_nonce(header));
  std::reverse(via_work.begin(), via_work.end());
  EXPECT_EQ(via_work, h);
}

}  // namespace
