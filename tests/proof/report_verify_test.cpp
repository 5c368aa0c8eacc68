#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "ih/hex_encode.hpp"
#include "proof/utc_time.hpp"
#include "proof/verifier.hpp"
#include "proof_fixture.hpp"
#include "temp_dir.hpp"

namespace {

using namespace ih::proof;
using ih::proof::fixture::TempDir;

constexpr double kDiff = 1.0 / (1 << 22);           // about 1 000 hashes per share
constexpr std::int64_t kStart = 1'796'000'000'000;  // 2026-12-01
constexpr std::int64_t kEnd = kStart + 720'000;

class Reports : public ::testing::Test {
 protected:
  void SetUp() override {
    signer_ = generate_ed25519_key((tmp_.path() / "a.key").string()).value();
    other_ = generate_ed25519_key((tmp_.path() / "b.key").string()).value();
    proofs_ = fixture::synthetic_proofs(40, kDiff, kStart + 1000, 700'000, 2);
    report_ = build_report(proofs_, kStart, kEnd, 0, "infinite-hashes test", *signer_);
  }
  ReportVerdict verify(const std::string& text, const VerifyOptions& options = {}) {
    return verify_report(text, options, seen_);
  }
  ReportVerdict verify_resigned(const WindowReport& r, const VerifyOptions& options = {}) {
    return verify(signed_report_file(r, *signer_), options);
  }
  static bool names(const ReportVerdict& v, const std::string& code) {
    for (const auto& r : v.reasons)
      if (r.rfind(code + ":", 0) == 0) return true;
    return false;
  }

  TempDir tmp_;
  std::unique_ptr<Signer> signer_, other_;
  ProofSet proofs_;
  WindowReport report_;
  SeenShares seen_;
};

#define EXPECT_REJECTED_FOR(verdict, code)                                    \
  do {                                                                        \
    const ReportVerdict v_ = (verdict);                                       \
    EXPECT_FALSE(v_.valid);                                                   \
    EXPECT_TRUE(names(v_, code)) << ::testing::PrintToString(v_.reasons);     \
    EXPECT_EQ(v_.reasons.size(), 1u) << ::testing::PrintToString(v_.reasons); \
  } while (0)

TEST_F(Reports, AGenuineReportVerifiesWithItsHashrate) {
  VerifyOptions options;
  options.expected_key = signer_->public_key();
  options.pool_tag = "/ih-test-pool/";
  options.payout_script = fixture::kFixturePayoutScript;
  const ReportVerdict v = verify(signed_report_file(report_, *signer_), options);
  EXPECT_TRUE(v.valid) << ::testing::PrintToString(v.reasons);
  EXPECT_EQ(v.valid_proofs, 40u);
  const auto rates = verified_hashrates({v});
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_EQ(rates[0].worker_id, "sn89auction.hk.w1");
  EXPECT_NEAR(rates[0].estimate.hashrate, 40 * kDiff * 4294967296.0 / 720, 1e-6);
  EXPECT_LT(rates[0].estimate.low, rates[0].estimate.hashrate);
  EXPECT_GT(rates[0].estimate.high, rates[0].estimate.hashrate);
}

TEST_F(Reports, TheCanonicalBodyIsStableThroughParsing) {
  const std::string file = signed_report_file(report_, *signer_);
  auto parsed = parse_report(file);
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  EXPECT_EQ(parsed->body_text, canonical_body(report_));
  EXPECT_EQ(canonical_body(parsed->report), canonical_body(report_));
}

TEST_F(Reports, AFlippedNonceBitIsBelowItsClaimedDifficulty) {
  report_.proofs.shares[3].header[76] ^= 0x01;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "below_claimed_difficulty");
}

TEST_F(Reports, AFlippedExtranonce2BitBreaksTheMerkleCommitment) {
  report_.proofs.shares[3].extranonce2[0] ^= 0x01;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "merkle_root_mismatch");
}

TEST_F(Reports, AFlippedCoinbaseBitBreaksTheMerkleCommitment) {
  report_.proofs.jobs[0].coinb2[7] ^= 0x01;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "merkle_root_mismatch");
}

TEST_F(Reports, AFlippedMerkleBranchBitBreaksTheMerkleCommitment) {
  report_.proofs.jobs[1].merkle_branch[4][9] ^= 0x01;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "merkle_root_mismatch");
}

TEST_F(Reports, AFlippedNtimeBitIsBelowItsClaimedDifficulty) {
  report_.proofs.shares[5].header[68] ^= 0x01;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "below_claimed_difficulty");
}

TEST_F(Reports, FlippedVersionBitsAreCaughtInsideAndOutsideTheMask) {
  WindowReport inside = report_;
  inside.proofs.shares[5].header[1] ^= 0x20;  // bit 13: under the mask 1fffe000
  EXPECT_REJECTED_FOR(verify_resigned(inside), "below_claimed_difficulty");
  report_.proofs.shares[5].header[0] ^= 0x01;  // bit 0: not rollable
  EXPECT_REJECTED_FOR(verify_resigned(report_), "version_outside_mask");
}

TEST_F(Reports, AShareBelowItsClaimedDifficultyIsRejected) {
  report_.proofs.shares[0].share_difficulty = 1e6;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "below_claimed_difficulty");
}

TEST_F(Reports, AProofOutsideTheWindowIsRejected) {
  report_.proofs.shares[0].time_ms = kStart - 1;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "outside_window");
}

TEST_F(Reports, TheSameShareTwiceInOneReportIsRejected) {
  report_.proofs.shares.push_back(report_.proofs.shares[2]);
  report_.difficulty_sum += kDiff;
  EXPECT_REJECTED_FOR(verify_resigned(report_), "duplicate_in_report");
}

TEST_F(Reports, TheSameShareInTwoReportsIsRejected) {
  EXPECT_TRUE(verify_resigned(report_).valid);
  WindowReport next = build_report(proofs_, kStart, kEnd, 0, "infinite-hashes test", *signer_);
  EXPECT_REJECTED_FOR(verify_resigned(next), "duplicate_across_reports");
}

TEST_F(Reports, ATamperedSignatureIsRejected) {
  auto file = nlohmann::json::parse(signed_report_file(report_, *signer_));
  std::string sig = file["signature"]["value"];
  sig[10] = sig[10] == '0' ? '1' : '0';
  file["signature"]["value"] = sig;
  EXPECT_REJECTED_FOR(verify(file.dump()), "bad_signature");
}

TEST_F(Reports, ATamperedBodyFailsTheSignature) {
  auto file = nlohmann::json::parse(signed_report_file(report_, *signer_));
  file["body"]["difficulty_sum"] = "1000";
  const ReportVerdict v = verify(file.dump());
  EXPECT_FALSE(v.valid);
  EXPECT_TRUE(names(v, "bad_signature"));
}

TEST_F(Reports, AReportSignedByAnotherKeyIsRejected) {
  VerifyOptions options;
  options.expected_key = signer_->public_key();
  WindowReport r = build_report(proofs_, kStart, kEnd, 0, "infinite-hashes test", *other_);
  EXPECT_REJECTED_FOR(verify(signed_report_file(r, *other_), options), "unexpected_key");
}

TEST_F(Reports, ASignatureByAKeyOtherThanTheReportNamesIsRejected) {
  EXPECT_REJECTED_FOR(verify(signed_report_file(report_, *other_)), "signature_key_mismatch");
}

TEST_F(Reports, WorkerIdsThatDoNotMatchTheProofsAreRejected) {
  report_.workers = {"sn89auction.hk.other"};
  EXPECT_REJECTED_FOR(verify_resigned(report_), "worker_ids_mismatch");
}

TEST_F(Reports, AMissingPoolTagOrPayoutScriptIsRejected) {
  VerifyOptions tag;
  tag.pool_tag = "/some-other-pool/";
  EXPECT_REJECTED_FOR(verify_resigned(report_, tag), "pool_tag_missing");
  seen_.clear();
  VerifyOptions payout;
  payout.payout_script = {0x51};
  EXPECT_REJECTED_FOR(verify_resigned(report_, payout), "payout_script_missing");
}

TEST_F(Reports, GarbageIsUnreadableNotInvalid) {
  for (const std::string text : {"", "{", "[]", R"({"body":{},"signature":{}})"}) {
    const ReportVerdict v = verify(text);
    EXPECT_FALSE(v.readable) << text;
    EXPECT_FALSE(v.valid);
    ASSERT_EQ(v.reasons.size(), 1u);
    EXPECT_EQ(v.reasons[0].rfind("unreadable", 0), 0u);
  }
}

TEST_F(Reports, ConsecutiveWindowsAddUpOverTheTimeTheyCover) {
  const ProofSet later = fixture::synthetic_proofs(20, kDiff, kEnd + 1000, 700'000, 1, 99);
  const WindowReport second =
      build_report(later, kEnd, kEnd + 720'000, 0, "infinite-hashes test", *signer_);
  const auto rates =
      verified_hashrates({verify_resigned(report_), verify(signed_report_file(second, *signer_))});
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_NEAR(rates[0].estimate.hashrate, 60 * kDiff * 4294967296.0 / 1440, 1e-6);
}

TEST(UtcTime, ParsesWhatValidatorsSendAndRefusesAmbiguity) {
  EXPECT_EQ(parse_iso8601("2026-12-01T19:00:00+00:00"), 1'796'151'600'000);
  EXPECT_EQ(parse_iso8601("2026-12-01T19:00:00Z"), 1'796'151'600'000);
  EXPECT_EQ(parse_iso8601("2026-12-01T21:00:00+02:00"), 1'796'151'600'000);
  EXPECT_EQ(parse_iso8601("2026-12-01T19:00:00.250+00:00"), 1'796'151'600'250);
  EXPECT_FALSE(parse_iso8601("2026-12-01T19:00:00"));
  EXPECT_FALSE(parse_iso8601("2026-02-30T19:00:00Z"));
  EXPECT_FALSE(parse_iso8601("yesterday"));
  EXPECT_EQ(format_iso8601(1'796'151'600'000), "2026-12-01T19:00:00+00:00");
  EXPECT_EQ(parse_iso8601(format_iso8601(1'796'151'600'123)), 1'796'151'600'123);
}

}  // namespace
