// `infinite-hashes bench` as a user or a verifier runs it.
#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <regex>

#include "run_command.hpp"

namespace {

using ih::test::run_command;
const std::string kBinary = IH_AGENT_BINARY;

std::string digest_for_seed(int seed) {
  const auto r = run_command(kBinary + " -q bench --seconds 0.2 --threads 1 --json --seed " +
                             std::to_string(seed) + " 2>/dev/null");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const auto doc = nlohmann::json::parse(r.output, nullptr, false);
  EXPECT_FALSE(doc.is_discarded()) << r.output;
  return doc.is_discarded() ? "" : doc.value("digest", "");
}

TEST(BenchCli, JsonFollowsTheSchema) {
  const auto r =
      run_command(kBinary + " -q bench --seconds 0.2 --threads 1 --json --seed 5 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto doc = nlohmann::json::parse(r.output, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.output;
  EXPECT_EQ(doc.at("schema"), "infinite-hashes/bench/1");
  EXPECT_EQ(doc.at("seed"), 5);
  EXPECT_TRUE(doc.at("ok").get<bool>());
  EXPECT_TRUE(std::regex_match(doc.at("digest").get<std::string>(), std::regex("[0-9a-f]{64}")));
  EXPECT_EQ(doc.at("header").get<std::string>().size(), 160u);
  EXPECT_EQ(doc.at("digest_range").at("count"), 262144);
  EXPECT_TRUE(doc.at("hardware").at("cpu").contains("flags"));
  ASSERT_FALSE(doc.at("results").empty());
  for (const auto& result : doc.at("results")) {
    const std::string status = result.at("status");
    ASSERT_TRUE(status == "ok" || status == "skipped") << result.dump();
    if (status == "ok") {
      EXPECT_GT(result.at("hashrate").get<double>(), 0);
      EXPECT_EQ(result.at("digest"), doc.at("digest"));
      EXPECT_EQ(result.at("threads"), 1);
    } else {
      EXPECT_FALSE(result.at("reason").get<std::string>().empty());
    }
  }
}

TEST(BenchCli, SameSeedSameDigestDifferentSeedDifferent) {
  const std::string a = digest_for_seed(11);
  EXPECT_EQ(a, digest_for_seed(11));
  EXPECT_NE(a, digest_for_seed(12));
}

TEST(BenchCli, VerifyAcceptsTheRightDigestAndRejectsAWrongOne) {
  const std::string digest = digest_for_seed(9);
  ASSERT_EQ(digest.size(), 64u);
  const auto ok = run_command(kBinary + " bench --verify " + digest + " --seed 9");
  EXPECT_EQ(ok.exit_code, 0) << ok.output;
  EXPECT_NE(ok.output.find("digest OK"), std::string::npos) << ok.output;

  std::string wrong = digest;
  wrong[0] = wrong[0] == '0' ? '1' : '0';
  const auto bad = run_command(kBinary + " bench --verify " + wrong + " --seed 9");
  EXPECT_EQ(bad.exit_code, 1) << bad.output;
  EXPECT_NE(bad.output.find("MISMATCH"), std::string::npos) << bad.output;

  const auto other_seed = run_command(kBinary + " bench --verify " + digest + " --seed 10");
  EXPECT_EQ(other_seed.exit_code, 1) << other_seed.output;

  const auto malformed = run_command(kBinary + " bench --verify xyz --seed 9");
  EXPECT_NE(malformed.exit_code, 0);
  EXPECT_NE(malformed.output.find("64 hex digits"), std::string::npos) << malformed.output;
}

TEST(BenchCli, OneSecondRunTakesAboutASecondPerScanner) {
  const auto start = std::chrono::steady_clock::now();
  const auto r =
      run_command(kBinary + " -q bench --seconds 1 --threads 1 --kernel portable --json");
  const double took =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto doc = nlohmann::json::parse(r.output.substr(r.output.find('{')), nullptr, false);
  ASSERT_FALSE(doc.is_discarded());
  const auto& results = doc.at("results");
  ASSERT_EQ(results.size(), 1u);  // --kernel portable: the baseline itself
  const double measured = results[0].at("seconds");
  EXPECT_GE(measured, 1.0);
  EXPECT_LT(measured, 1.5);
  // Set-up (digest, start-up) is small; a loaded 2-core CI machine still gets a wide margin.
  EXPECT_LT(took, 1.0 + 10.0);
}

TEST(BenchCli, ThreadsGivePerThreadTotalScalingAndTheChosenKernel) {
  const auto r = run_command(kBinary + " -q bench --seconds 0.3 --threads 2 --json 2>/dev/null");
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto doc = nlohmann::json::parse(r.output, nullptr, false);
  ASSERT_FALSE(doc.is_discarded()) << r.output;
  EXPECT_EQ(doc.at("cpu_threads"), 2);
  const std::string chosen = doc.at("chosen_cpu_kernel");
  EXPECT_NE(doc.at("chosen_why").get<std::string>().find("ranking"), std::string::npos);
  bool chosen_measured = false;
  for (const auto& result : doc.at("results")) {
    if (result.at("status") != "ok") continue;
    chosen_measured |= result.at("scanner") == chosen;
    EXPECT_EQ(result.at("threads"), 2);
    const double total = result.at("hashrate"), per_thread = result.at("hashrate_per_thread");
    EXPECT_NEAR(per_thread * 2, total, total * 1e-9);
    EXPECT_GT(result.at("single_thread_hashrate").get<double>(), 0) << result.dump();
    EXPECT_NEAR(result.at("scaling").get<double>(),
                total / result.at("single_thread_hashrate").get<double>(), 1e-6);
  }
  EXPECT_TRUE(chosen_measured) << r.output;
}

TEST(BenchCli, UnknownKernelIsAClearError) {
  const auto r = run_command(kBinary + " bench --kernel no-such-kernel --seconds 0.2");
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.output.find("no-such-kernel"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("available"), std::string::npos) << r.output;
}

}  // namespace
