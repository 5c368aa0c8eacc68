// The binary as a user runs it: keygen, mine with proofs and short windows, verify; and a
// SIGKILL in the middle of mining loses at most the record being written.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "proof/proof_store.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

namespace {

using ih::proof::fixture::TempDir;
using ih::test::count_lines_with;
using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;

std::string reports_in(const std::filesystem::path& dir) {
  std::string list;
  for (const auto& e : std::filesystem::directory_iterator(dir))
    if (e.path().extension() == ".json") {
      list += ' ';  // appended apart: GCC 12 warns falsely (-Wrestrict) on " " + string
      list += e.path().string();
    }
  return list;
}

TEST(ProofCli, KeygenMineVerify) {
  TempDir tmp;
  const std::string key = (tmp.path() / "agent.key").string();
  const auto keygen = run_command(kBinary + " keygen --out " + key);
  ASSERT_EQ(keygen.exit_code, 0) << keygen.output;
  const std::string pubkey = keygen.output.substr(0, 64);
  struct stat st {};
  ASSERT_EQ(::stat(key.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  ::chmod(key.c_str(), 0644);
  const auto refused = run_command(kBinary + " mine -t 1 --key " + key + " --data-dir " +
                                   (tmp.path() / "data").string());
  EXPECT_NE(refused.exit_code, 0);
  EXPECT_NE(refused.output.find("group or others may read it"), std::string::npos)
      << refused.output;
  ::chmod(key.c_str(), 0600);

  const auto data = tmp.path() / "data";
  const auto mined = run_command("timeout --preserve-status -s INT 7 " + kBinary +
                                 " mine -t 1 --report-window 2 --no-color --key " + key +
                                 " --data-dir " + data.string() + " -u sn89auction.hk.rig");
  ASSERT_EQ(mined.exit_code, 0) << mined.output;
  const std::string reports = reports_in(data / "reports");
  ASSERT_FALSE(reports.empty()) << mined.output;

  const auto verified = run_command(kBinary + " verify --json --pubkey " + pubkey + reports);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
  const auto json = nlohmann::json::parse(verified.output.substr(verified.output.find('{')));
  ASSERT_EQ(json["workers"].size(), 1u) << verified.output;
  EXPECT_EQ(json["workers"][0]["worker_id"], "sn89auction.hk.rig");
  EXPECT_GT(json["workers"][0]["hashrate"].get<std::uint64_t>(), 0u);

  // The same reports twice: the second copy's shares are duplicates.
  const std::string first = reports.substr(0, reports.find(' ', 1));
  const auto twice = run_command(kBinary + " verify" + reports + reports);
  EXPECT_EQ(twice.exit_code, 1) << twice.output;
  EXPECT_NE(twice.output.find("duplicate_across_reports"), std::string::npos) << twice.output;

  const auto wrong_key = run_command(kBinary + " verify --pubkey " + std::string(64, '0') + first);
  EXPECT_EQ(wrong_key.exit_code, 1) << wrong_key.output;
  EXPECT_NE(wrong_key.output.find("unexpected_key"), std::string::npos);

  std::ofstream(tmp.path() / "garbage.json") << "not a report";
  const auto garbage = run_command(kBinary + " verify " + (tmp.path() / "garbage.json").string());
  EXPECT_EQ(garbage.exit_code, 2) << garbage.output;
  EXPECT_EQ(run_command(kBinary + " verify " + (tmp.path() / "missing.json").string()).exit_code,
            2);
}

TEST(ProofCli, ProofSettingsComeFromTheFileThenTheEnvironmentThenTheFlags) {
  TempDir tmp;
  const auto config = tmp.path() / "mine.json";
  std::ofstream(config) << R"({"data-dir": ")" << (tmp.path() / "file-data").string()
                        << R"(", "report-window": 60, "proof-difficulty": 8,
      "report-url": "https://miner:filesecret@127.0.0.1:9/api/v1/reports"})";
  auto printed = [&](const std::string& env, const std::string& flags) {
    const auto r = run_command(env + " " + kBinary + " mine --dry-run --print-config -c " +
                               config.string() + " " + flags);
    EXPECT_EQ(r.exit_code, 0) << r.output;
    EXPECT_EQ(r.output.find("filesecret"), std::string::npos) << r.output;
    // The printed config (dump(2): its closing brace alone on a line); log lines may follow.
    const auto open = r.output.find('{'), close = r.output.find("\n}", open);
    return nlohmann::json::parse(r.output.substr(open, close + 2 - open));
  };
  const auto file = printed("", "");
  EXPECT_EQ(file["data-dir"], (tmp.path() / "file-data").string());
  EXPECT_EQ(file["report-window"], 60);
  EXPECT_EQ(file["proof-difficulty"], 8);
  EXPECT_EQ(file["key"], (tmp.path() / "file-data" / "agent.key").string());
  EXPECT_EQ(file["report-url"][0], "https://***@127.0.0.1:9/api/v1/reports");
  const auto env = printed("IH_REPORT_WINDOW=30 IH_KEY=/env/agent.key", "");
  EXPECT_EQ(env["report-window"], 30);
  EXPECT_EQ(env["key"], "/env/agent.key");
  const auto flags =
      printed("IH_REPORT_WINDOW=30", "--report-window 15 --report-url http://127.0.0.1:9/r");
  EXPECT_EQ(flags["report-window"], 15);
  EXPECT_EQ(flags["report-url"], nlohmann::json::array({"http://127.0.0.1:9/r"}));
  const auto bad =
      run_command("IH_REPORT_WINDOW=soon " + kBinary + " mine --dry-run -c " + config.string());
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.output.find("IH_REPORT_WINDOW"), std::string::npos) << bad.output;
}

TEST(ProofCli, SigkillWhileMiningLosesAtMostOneRecord) {
  TempDir tmp;
  const auto data = tmp.path() / "data";
  const auto out = tmp.path() / "out.txt";
  const std::string script = "( " + kBinary + " mine -t 1 --no-color --data-dir " + data.string() +
                             " > " + out.string() + " 2>&1 & pid=$!; " +
                             // Killed once six shares are in, whatever the build's speed (ASan).
                             "for i in $(seq 600); do [ $(grep -c 'accepted (' " + out.string() +
                             ") -gt 5 ] && break; sleep 0.1; done; kill -KILL $pid; " +
                             "wait $pid; exit 0 )";
  ASSERT_EQ(run_command(script).exit_code, 0);
  std::ifstream in(out);
  const std::string log((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The console prints "accepted" after the share's proof was written.
  const std::size_t accepted = count_lines_with(log, "accepted (");
  ASSERT_GT(accepted, 5u) << log;
  std::vector<std::string> warnings;
  const auto proofs = ih::proof::read_proofs(data / "proofs", 0, INT64_MAX, &warnings);
  EXPECT_LE(warnings.size(), 1u);
  EXPECT_GE(proofs.shares.size() + 1, accepted);
}

}  // namespace
