// The proof settings from the config file and IH_* variables (flags are checked through the
// binary in proof_cli_test): keys, types, ranges, and a print-out that shows no credentials.
#include <gtest/gtest.h>

#include <string>

#include "config/mine_config.hpp"

namespace {

using namespace ih::agent;

TEST(ProofConfigFile, EveryProofKeyApplies) {
  auto c = apply_config_json(MineConfig{}, R"({"data-dir": "/srv/ih", "key": "/srv/ih/a.key",
      "proof-difficulty": 4096, "report-window": 60, "report-url": ["http://127.0.0.1:1/r",
      "https://v.example/r"], "report-ca": "/etc/ca.pem", "no-proofs": false})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  const ProofConfig& p = c->proof;
  EXPECT_EQ(p.data_dir, "/srv/ih");
  EXPECT_EQ(p.key_file, "/srv/ih/a.key");
  EXPECT_DOUBLE_EQ(p.proof_difficulty, 4096);
  EXPECT_DOUBLE_EQ(p.report_window, 60);
  EXPECT_EQ(p.report_urls,
            (std::vector<std::string>{"http://127.0.0.1:1/r", "https://v.example/r"}));
  EXPECT_EQ(p.report_ca, "/etc/ca.pem");
  auto validated = validate_proof_config(p);
  ASSERT_TRUE(validated.ok()) << validated.error().message;
  EXPECT_TRUE(validated->paths_given);  // a data dir from the file is as binding as the flag

  auto single = apply_config_json(MineConfig{}, R"({"report-url": "http://127.0.0.1:2/r"})");
  ASSERT_TRUE(single.ok());
  EXPECT_EQ(single->proof.report_urls, std::vector<std::string>{"http://127.0.0.1:2/r"});
  for (const char* key : {"data-dir", "key", "proof-difficulty", "report-window", "report-url",
                          "report-ca", "no-proofs"}) {
    bool listed = false;
    for (const auto& k : mine_config_keys()) listed = listed || k == key;
    EXPECT_TRUE(listed) << key;
  }
}

TEST(ProofConfigFile, BadValuesAreRefusedWithTheKey) {
  for (const char* doc :
       {R"({"data-dir": 5})", R"({"report-window": "12m"})", R"({"report-url": [1]})",
        R"({"report-url": {"a": 1}})", R"({"proof-difficulty": true})", R"({"no-proofs": 1})"}) {
    auto c = apply_config_json(MineConfig{}, doc);
    ASSERT_FALSE(c.ok()) << doc;
    EXPECT_NE(c.error().message.find("config key '"), std::string::npos) << c.error().message;
  }
  // In range is checked once, for file and flags alike.
  auto zero = apply_config_json(MineConfig{}, R"({"report-window": 0})");
  ASSERT_TRUE(zero.ok());
  auto refused = validate_proof_config(zero->proof);
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.error().message.find("report-window"), std::string::npos);
  auto ftp = apply_config_json(MineConfig{}, R"({"report-url": "ftp://127.0.0.1/r"})");
  ASSERT_TRUE(ftp.ok());
  EXPECT_FALSE(validate_proof_config(ftp->proof).ok());
}

TEST(ProofConfigEnvironment, VariablesApplyAndBadNumbersNameTheVariable) {
  ProofConfig c;
  ASSERT_TRUE(
      apply_proof_environment(c, {{"IH_DATA_DIR", "/d"},
                                  {"IH_KEY", "/d/k"},
                                  {"IH_PROOF_DIFFICULTY", "2048"},
                                  {"IH_REPORT_WINDOW", "30"},
                                  {"IH_REPORT_URL", "http://127.0.0.1:1/a  http://[::1]:2/b"},
                                  {"IH_REPORT_CA", "/ca.pem"}})
          .ok());
  EXPECT_EQ(c.data_dir, "/d");
  EXPECT_EQ(c.key_file, "/d/k");
  EXPECT_DOUBLE_EQ(c.proof_difficulty, 2048);
  EXPECT_DOUBLE_EQ(c.report_window, 30);
  EXPECT_EQ(c.report_urls, (std::vector<std::string>{"http://127.0.0.1:1/a", "http://[::1]:2/b"}));
  EXPECT_EQ(c.report_ca, "/ca.pem");
  auto bad = apply_proof_environment(c, {{"IH_REPORT_WINDOW", "12m"}});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("IH_REPORT_WINDOW"), std::string::npos);
  EXPECT_DOUBLE_EQ(c.report_window, 30);
}

TEST(ProofConfigPrint, ReportUrlCredentialsAndTokensAreMasked) {
  auto c = apply_config_json(MineConfig{}, R"({"report-url": [
      "https://miner:s3cret@validator.example/api/v1/reports",
      "https://validator.example/api/v1/reports?token=t0ken"], "key": "/srv/a.key"})");
  ASSERT_TRUE(c.ok()) << c.error().message;
  const std::string printed = config_to_masked_json(*c);
  EXPECT_EQ(printed.find("s3cret"), std::string::npos) << printed;
  EXPECT_EQ(printed.find("t0ken"), std::string::npos) << printed;
  EXPECT_NE(printed.find("https://***@validator.example/api/v1/reports"), std::string::npos)
      << printed;
  EXPECT_NE(printed.find("\"key\": \"/srv/a.key\""), std::string::npos) << printed;
  EXPECT_NE(printed.find("\"report-window\": 720"), std::string::npos) << printed;
}

}  // namespace
