// Real exchanges: rebuilding coinbase, merkle root, header and block hash byte for byte.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "test_data.hpp"

namespace {

using namespace ih::stratum;
using nlohmann::json;

JobFields job_from_notify(const json& p) {
  const auto branch = p.at(4).get<std::vector<std::string>>();
  auto job = decode_job_fields(p.at(0).get<std::string>(), p.at(1).get<std::string>(),
                               p.at(2).get<std::string>(), p.at(3).get<std::string>(), branch,
                               p.at(5).get<std::string>(), p.at(6).get<std::string>(),
                               p.at(7).get<std::string>(), p.at(8).get<bool>());
  EXPECT_TRUE(job.ok()) << (job.ok() ? "" : job.error().message);
  return job.ok() ? *job : JobFields{};
}

Bytes must_hex(const std::string& s) {
  auto b = from_hex(s);
  EXPECT_TRUE(b.ok()) << s;
  return b.ok() ? *b : Bytes{};
}

std::uint32_t must_u32(const std::string& s) {
  auto v = u32_from_be_hex(s);
  EXPECT_TRUE(v.ok()) << s;
  return v.ok() ? *v : 0;
}

TEST(HeaderVectors, CkpoolRegtestBlock) {
  const std::string text = ih::test::read_test_data("ckpool-regtest-block.json");
  ASSERT_FALSE(text.empty());
  const json v = json::parse(text);
  const JobFields job = job_from_notify(v.at("notify_params"));
  const json& submit = v.at("submit_params");
  ASSERT_EQ(submit.at(1).get<std::string>(), job.job_id);

  ShareFields share;
  share.extranonce1 = must_hex(v.at("subscribe_result").at(1).get<std::string>());
  share.extranonce2 = must_hex(submit.at(2).get<std::string>());
  ASSERT_EQ(share.extranonce2.size(), v.at("subscribe_result").at(2).get<std::size_t>());
  share.ntime = must_u32(submit.at(3).get<std::string>());
  share.nonce = must_u32(submit.at(4).get<std::string>());
  share.version_bits = must_u32(submit.at(5).get<std::string>());
  share.version_mask =
      must_u32(v.at("configure_result").at("version-rolling.mask").get<std::string>());

  const Bytes coinbase =
      build_coinbase(job.coinb1, share.extranonce1, share.extranonce2, job.coinb2);
  EXPECT_EQ(to_hex(coinbase), v.at("expected_coinbase_nowitness_hex").get<std::string>());

  const ih::Hash256 root = merkle_root(ih::kernels::sha256d(coinbase), job.merkle_branch);
  EXPECT_EQ(to_hex(root), v.at("expected_merkle_root_internal_hex").get<std::string>());
  EXPECT_EQ(hash_to_display_hex(root), v.at("bitcoind").at("merkleroot").get<std::string>());

  const ih::Header80 header = header_for_share(job, share);
  EXPECT_EQ(to_hex(header), v.at("expected_header_hex").get<std::string>());
  EXPECT_EQ(u32_to_be_hex(roll_version(job.version, share.version_bits, share.version_mask)),
            v.at("bitcoind").at("versionHex").get<std::string>());

  const ih::Hash256 block_hash = ih::kernels::sha256d(header);
  EXPECT_EQ(hash_to_display_hex(block_hash), v.at("expected_block_hash").get<std::string>());

  // The share met both the pool's difficulty and the regtest network target.
  auto share_target = difficulty_to_target(v.at("set_difficulty").get<double>());
  ASSERT_TRUE(share_target.ok());
  EXPECT_TRUE(ih::hash_meets_target(block_hash, *share_target));
  auto network_target = nbits_to_target(job.nbits);
  ASSERT_TRUE(network_target.ok());
  EXPECT_TRUE(ih::hash_meets_target(block_hash, *network_target));
}

TEST(HeaderVectors, StratumDocumentationExample) {
  const std::string text = ih::test::read_test_data("stratum-doc-example.json");
  ASSERT_FALSE(text.empty());
  const json v = json::parse(text);
  const JobFields job = job_from_notify(v.at("notify_params"));

  ShareFields share;
  share.extranonce1 = must_hex(v.at("extranonce1").get<std::string>());
  share.extranonce2 = must_hex(v.at("extranonce2").get<std::string>());
  ASSERT_EQ(share.extranonce2.size(), v.at("extranonce2_size").get<std::size_t>());
  share.ntime = must_u32(v.at("submit_ntime").get<std::string>());
  share.nonce = must_u32(v.at("submit_nonce").get<std::string>());

  const ih::Hash256 root =
      merkle_root(ih::kernels::sha256d(
                      build_coinbase(job.coinb1, share.extranonce1, share.extranonce2, job.coinb2)),
                  job.merkle_branch);
  EXPECT_EQ(to_hex(root), v.at("expected_merkle_root_internal_hex").get<std::string>());

  const ih::Header80 header = header_for_share(job, share);
  EXPECT_EQ(to_hex(header), v.at("expected_header_hex").get<std::string>());
  const ih::Hash256 block_hash = ih::kernels::sha256d(header);
  EXPECT_EQ(hash_to_display_hex(block_hash), v.at("expected_block_hash").get<std::string>());
  auto network_target = nbits_to_target(job.nbits);
  ASSERT_TRUE(network_target.ok());
  EXPECT_TRUE(ih::hash_meets_target(block_hash, *network_target));
}

TEST(HeaderVectors, MerkleBranchIsFoldedInOrder) {
  ih::Hash256 leaf{}, a{}, b{};
  leaf[0] = 1;
  a[0] = 2;
  b[0] = 3;
  const std::vector<ih::Hash256> branch = {a, b};
  std::uint8_t pair[64];
  std::copy(leaf.begin(), leaf.end(), pair);
  std::copy(a.begin(), a.end(), pair + 32);
  const ih::Hash256 step1 = ih::kernels::sha256d(pair);
  std::copy(step1.begin(), step1.end(), pair);
  std::copy(b.begin(), b.end(), pair + 32);
  EXPECT_EQ(merkle_root(leaf, branch), ih::kernels::sha256d(pair));
  EXPECT_EQ(merkle_root(leaf, {}), leaf);
}

TEST(HeaderVectors, DecodeRejectsBadFields) {
  const std::string zero32(64, '0');
  const std::vector<std::string> none;
  EXPECT_FALSE(decode_job_fields("j", zero32.substr(2), "", "", none, "20000000", "207fffff",
                                 "6b0c221d", true)
                   .ok());
  EXPECT_FALSE(
      decode_job_fields("j", zero32, "0", "", none, "20000000", "207fffff", "6b0c221d", true).ok());
  EXPECT_FALSE(
      decode_job_fields("j", zero32, "", "", none, "2000000", "207fffff", "6b0c221d", true).ok());
  EXPECT_FALSE(
      decode_job_fields("", zero32, "", "", none, "20000000", "207fffff", "6b0c221d", true).ok());
  const std::vector<std::string> too_many(33, zero32);
  EXPECT_FALSE(
      decode_job_fields("j", zero32, "", "", too_many, "20000000", "207fffff", "6b0c221d", true)
          .ok());
  const std::vector<std::string> max_ok(32, zero32);
  EXPECT_TRUE(
      decode_job_fields("j", zero32, "", "", max_ok, "20000000", "207fffff", "6b0c221d", true)
          .ok());
  const std::vector<std::string> short_entry = {zero32.substr(1)};
  EXPECT_FALSE(
      decode_job_fields("j", zero32, "", "", short_entry, "20000000", "207fffff", "6b0c221d", true)
          .ok());
}

}  // namespace
