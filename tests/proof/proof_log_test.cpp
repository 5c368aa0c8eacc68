#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "proof/log_file.hpp"
#include "proof/proof_store.hpp"
#include "proof/record_codec.hpp"
#include "proof/utc_time.hpp"
#include "proof_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using namespace ih::proof;
using ih::proof::fixture::synthetic_proofs;
using ih::proof::fixture::TempDir;

constexpr double kDiff = 1.0 / (1 << 22);  // about 1 000 hashes per share

std::unique_ptr<ProofStore> open_store(const std::filesystem::path& dir,
                                       std::uint64_t max_file_bytes = 64ull << 20) {
  ProofStoreOptions o;
  o.dir = dir;
  o.max_file_bytes = max_file_bytes;
  auto store = ProofStore::open(o);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return std::move(*store);
}

std::vector<std::filesystem::path> files_in(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> out;
  for (const auto& e : std::filesystem::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(ProofRecords, JobAndShareRecordsRoundTrip) {
  const ProofSet set = synthetic_proofs(3, kDiff, 1000, 3000);
  const Bytes job = encode_job_record(7, set.jobs[0]);
  auto decoded = decode_job_record(job);
  ASSERT_TRUE(decoded);
  EXPECT_EQ(decoded->first, 7u);
  EXPECT_EQ(decoded->second, set.jobs[0]);
  const Bytes share = encode_share_record(7, set.shares[1]);
  auto rec = decode_share_record(share);
  ASSERT_TRUE(rec);
  EXPECT_EQ(rec->job_key, 7u);
  EXPECT_EQ(rec->share.header, set.shares[1].header);
  EXPECT_EQ(rec->share.extranonce2, set.shares[1].extranonce2);
  EXPECT_EQ(rec->share.share_difficulty, kDiff);
  EXPECT_EQ(rec->share.time_ms, set.shares[1].time_ms);
  // Every truncation of a record is refused.
  for (std::size_t n = 0; n < share.size(); ++n)
    EXPECT_FALSE(decode_share_record(std::span(share).first(n))) << n;
}

TEST(ProofStore, StoresOneJobRecordPerJobAndAnswersTimeQueries) {
  TempDir tmp;
  const std::int64_t t0 = utc_now_ms();
  const ProofSet set = synthetic_proofs(200, kDiff, t0, 20'000, 2);
  {
    auto store = open_store(tmp.path());
    for (const auto& s : set.shares) ASSERT_FALSE(store->append(set.jobs[s.job], s));
    const ProofStoreStats st = store->stats();
    EXPECT_EQ(st.shares, 200u);
    EXPECT_EQ(st.jobs, 2u);
    const double per_share =
        static_cast<double>(st.share_bytes + st.job_bytes) / static_cast<double>(st.shares);
    std::printf("proof log: %.1f bytes per share amortised (100 shares per job, 11-entry branch)\n",
                per_share);
    EXPECT_LE(per_share, 160.0);
    // Reads what was written while still open.
    EXPECT_EQ(store->query(t0, t0 + 20'000).shares.size(), 200u);
  }
  std::vector<std::string> warnings;
  const ProofSet back = read_proofs(tmp.path(), t0 + 5'000, t0 + 10'000, &warnings);
  EXPECT_TRUE(warnings.empty());
  ASSERT_EQ(back.shares.size(), 50u);
  EXPECT_EQ(back.jobs.size(), 2u);
  for (const auto& s : back.shares) {
    EXPECT_GE(s.time_ms, t0 + 5'000);
    EXPECT_LT(s.time_ms, t0 + 10'000);
  }
  EXPECT_EQ(back.shares[0].header, set.shares[50].header);
  EXPECT_EQ(back.jobs[back.shares[0].job], set.jobs[set.shares[50].job]);
}

TEST(ProofStore, RotatesBySizeAndEveryFileCarriesItsJobs) {
  TempDir tmp;
  const std::int64_t t0 = utc_now_ms();
  const ProofSet set = synthetic_proofs(60, kDiff, t0, 6'000);
  {
    auto store = open_store(tmp.path(), 2000);  // about 15 shares a file
    for (const auto& s : set.shares) ASSERT_FALSE(store->append(set.jobs[s.job], s));
  }
  EXPECT_GE(files_in(tmp.path()).size(), 4u);
  const ProofSet back = read_proofs(tmp.path(), t0, t0 + 6'000);
  EXPECT_EQ(back.shares.size(), 60u);
  EXPECT_EQ(back.jobs.size(), 1u);  // the same job, once
}

TEST(ProofStore, RetentionDeletesTheOldestFilesBeyondTheSizeLimit) {
  TempDir tmp;
  const std::int64_t t0 = utc_now_ms();
  const ProofSet set = synthetic_proofs(60, kDiff, t0, 6'000);
  ProofStoreOptions o;
  o.dir = tmp.path();
  o.max_file_bytes = 2000;
  o.max_total_bytes = 5000;
  {
    auto store = ProofStore::open(o).value();
    for (const auto& s : set.shares) ASSERT_FALSE(store->append(set.jobs[s.job], s));
  }
  std::uint64_t total = 0;
  for (const auto& f : files_in(tmp.path())) total += std::filesystem::file_size(f);
  EXPECT_LE(total, 5000u + 2100u);  // the limit, plus the file being written
  const ProofSet back = read_proofs(tmp.path(), t0, t0 + 6'000);
  EXPECT_LT(back.shares.size(), 60u);
  EXPECT_EQ(back.shares.back().header, set.shares.back().header);  // the newest are kept
}

class DamagedLog : public ::testing::Test {
 protected:
  void SetUp() override {
    t0_ = utc_now_ms();
    set_ = synthetic_proofs(10, kDiff, t0_, 10'000);
    auto store = open_store(tmp_.path());
    for (const auto& s : set_.shares) ASSERT_FALSE(store->append(set_.jobs[s.job], s));
    store.reset();
    file_ = files_in(tmp_.path()).at(0);
    std::ifstream in(file_, std::ios::binary);
    bytes_.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  void rewrite() {
    std::ofstream(file_, std::ios::binary | std::ios::trunc)
        .write(reinterpret_cast<const char*>(bytes_.data()),
               static_cast<std::streamsize>(bytes_.size()));
  }
  // Where share record `i` starts (after the magic and the job record).
  std::size_t share_offset(std::size_t i) const {
    const std::size_t job = kRecordOverhead + encode_job_record(0, set_.jobs[0]).size();
    const std::size_t share = kRecordOverhead + encode_share_record(0, set_.shares[0]).size();
    return sizeof kLogMagic + job + i * share;
  }

  TempDir tmp_;
  std::int64_t t0_ = 0;
  ProofSet set_;
  std::filesystem::path file_;
  Bytes bytes_;
};

TEST_F(DamagedLog, ATruncatedLastRecordIsSkippedWithAWarning) {
  bytes_.erase(bytes_.end() - 7, bytes_.end());
  rewrite();
  std::vector<std::string> warnings;
  const ProofSet back = read_proofs(tmp_.path(), t0_, t0_ + 10'000, &warnings);
  EXPECT_EQ(back.shares.size(), 9u);
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("truncated last record"), std::string::npos) << warnings[0];
}

TEST_F(DamagedLog, AFlippedByteInAMiddleRecordSkipsOnlyThatRecord) {
  bytes_[share_offset(4) + kRecordOverhead + 30] ^= 0x01;
  rewrite();
  std::vector<std::string> warnings;
  const ProofSet back = read_proofs(tmp_.path(), t0_, t0_ + 10'000, &warnings);
  ASSERT_EQ(back.shares.size(), 9u);
  for (const auto& s : back.shares) EXPECT_NE(s.header, set_.shares[4].header);
  EXPECT_EQ(back.shares[4].header, set_.shares[5].header);
  ASSERT_FALSE(warnings.empty());
  EXPECT_NE(warnings[0].find("fails its checksum"), std::string::npos) << warnings[0];
}

TEST_F(DamagedLog, AFlippedLengthFieldResynchronisesOnTheNextRecord) {
  bytes_[share_offset(2) + 5] ^= 0x40;
  rewrite();
  std::vector<std::string> warnings;
  const ProofSet back = read_proofs(tmp_.path(), t0_, t0_ + 10'000, &warnings);
  EXPECT_EQ(back.shares.size(), 9u);
  EXPECT_FALSE(warnings.empty());
}

}  // namespace
