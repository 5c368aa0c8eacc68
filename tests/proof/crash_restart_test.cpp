// Crash safety: `mine` with proofs, one-second report windows and a report URL nobody answers
// (so every report stays spooled) is SIGKILLed while mining, twice, and restarted. Each run
// mines again; the proof log reads cleanly up to its last complete record (at most the record a
// kill interrupted is skipped, once per kill), every report file verifies, and no half-written
// file is left where a reader or the pusher would take it for a whole one.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "proof/proof_store.hpp"
#include "run_command.hpp"
#include "temp_dir.hpp"

namespace {

namespace fs = std::filesystem;
using ih::proof::fixture::TempDir;
using ih::test::count_lines_with;
using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;

std::string read_file(const fs::path& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

// Runs `mine` until it has written two reports and had three shares accepted (at most 60 s,
// whatever the build's speed), `seconds` more, then sends `signal`; returns what it printed.
std::string mine_then(const fs::path& data, const fs::path& out, const std::string& seconds,
                      const std::string& signal) {
  const std::string log = out.string();
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + string.
  std::string script = "( ";
  script += kBinary;
  script += " mine -t 1 --no-color --report-window 1 --report-url http://127.0.0.1:9/reports";
  script += " --data-dir " + data.string() + " -u sn89auction.hk.rig > " + log;
  script += " 2>&1 & pid=$!; for i in $(seq 600); do [ $(grep -c 'accepted (' " + log;
  script += ") -gt 2 ] && [ $(grep -c 'info] report report-' " + log + ") -ge 2 ] && break; ";
  script +=
      "sleep 0.1; done; sleep " + seconds + "; kill -" + signal + " $pid; wait $pid; exit 0 )";
  EXPECT_EQ(run_command(script).exit_code, 0);
  return read_file(out);
}

TEST(CrashSafety, SigkillWhileWritingProofsAndReportsThenRestart) {
  TempDir tmp;
  const fs::path data = tmp.path() / "data";
  std::size_t accepted = 0;
  std::size_t kills = 0;
  for (const char* seconds : {"0.3", "0.7"}) {
    const std::string log = mine_then(data, tmp.path() / "run.txt", seconds, "KILL");
    ++kills;
    const std::size_t run_accepted = count_lines_with(log, "accepted (");
    EXPECT_GT(run_accepted, 2u) << "run " << kills << " did not mine:\n" << log;
    accepted += run_accepted;
  }
  // The restart after the kills mines and stops cleanly on SIGINT.
  const std::string last = mine_then(data, tmp.path() / "last.txt", "0.5", "INT");
  const std::size_t last_accepted = count_lines_with(last, "accepted (");
  EXPECT_GT(last_accepted, 2u) << "no mining after the restart:\n" << last;
  accepted += last_accepted;
  EXPECT_EQ(last.find("cannot"), std::string::npos) << last;

  std::vector<std::string> warnings;
  const auto proofs = ih::proof::read_proofs(data / "proofs", 0, INT64_MAX, &warnings);
  EXPECT_LE(warnings.size(), kills) << "more than the interrupted record per kill";
  for (const auto& w : warnings) EXPECT_NE(w.find("interrupted write"), std::string::npos) << w;
  // Every accepted share was logged before the console said so.
  EXPECT_GE(proofs.shares.size() + kills, accepted);

  std::string reports;
  std::size_t report_count = 0;
  for (const auto& e : fs::directory_iterator(data / "reports")) {
    const std::string name = e.path().filename().string();
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << "a half-written file is left: " << name;
    if (e.path().extension() != ".json") continue;
    reports += ' ';
    reports += e.path().string();
    ++report_count;
  }
  ASSERT_GT(report_count, 3u);
  const auto verified = run_command(kBinary + " verify --json" + reports);
  EXPECT_EQ(verified.exit_code, 0) << verified.output;
}

}  // namespace
