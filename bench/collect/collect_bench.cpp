// The collector at SN89 scale (issue #18): `miners` agents each pushing a report of `proofs`
// proofs per 12-minute window, for `cycles` windows. Reports are mined first (at a tiny
// difficulty: verifying costs the same at any difficulty) and written to files, then ingested
// one after another on one thread through ReportIngest, as POST /api/v1/reports does.
// Prints reports/s, proofs/s, the headroom over the load, peak RSS and disk per 1 M proofs.
#include <CLI/CLI.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "collect/collect_store.hpp"
#include "collect/report_ingest.hpp"
#include "collect_reports.hpp"
#include "proof/signer.hpp"
#include "proof/utc_time.hpp"

namespace {

namespace fs = std::filesystem;
using namespace ih;

constexpr std::int64_t kWindowMs = 720'000;

std::string read_file(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

long status_kb(const char* field) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field) + 1));
  return 0;
}

std::uint64_t dir_bytes(const fs::path& dir) {
  std::uint64_t n = 0;
  for (const auto& e : fs::directory_iterator(dir))
    if (e.is_regular_file()) n += e.file_size();
  return n;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Collector ingestion benchmark (256 miners x 2 000 proofs per 12 min)"};
  unsigned miners = 256, proofs = 2000, cycles = 2;
  std::size_t branch = 12;
  std::string dir = (fs::temp_directory_path() / "ih-collect-bench").string();
  app.add_option("--miners", miners)->capture_default_str();
  app.add_option("--proofs", proofs, "Proofs per report")->capture_default_str();
  app.add_option("--cycles", cycles, "Windows each miner reports")->capture_default_str();
  app.add_option("--merkle-branch", branch, "Merkle branch length")->capture_default_str();
  app.add_option("--dir", dir, "Work folder (deleted first)")->capture_default_str();
  CLI11_PARSE(app, argc, argv);

  const fs::path root = dir;
  fs::remove_all(root);
  fs::create_directories(root / "reports");
  fs::create_directories(root / "keys");
  const std::int64_t now = proof::utc_now_ms();
  const double difficulty = 1.0 / (1u << 28);  // ~16 hashes a share
  std::vector<fs::path> files;
  const auto gen_start = std::chrono::steady_clock::now();
  for (unsigned m = 0; m < miners; ++m) {
    auto signer = proof::generate_ed25519_key((root / "keys" / std::to_string(m)).string());
    if (!signer) {
      std::fprintf(stderr, "%s\n", signer.error().message.c_str());
      return 1;
    }
    agent::local_pool::SyntheticJobs jobs(1000 + m);
    const std::string worker = "sn89auction.5Miner" + std::to_string(m) + ".rig";
    for (unsigned c = 0; c < cycles; ++c) {
      const std::int64_t start = now - static_cast<std::int64_t>(cycles - c + 1) * kWindowMs;
      const auto set = test::mine_window(jobs, worker, m, proofs, difficulty, start,
                                         start + kWindowMs, 100, branch);
      files.push_back(root / "reports" / (std::to_string(c) + "-" + std::to_string(m)));
      std::ofstream(files.back()) << test::signed_report(set, start, start + kWindowMs, difficulty,
                                                         **signer);
    }
  }
  // Ingest in arrival order: every miner's first window, then every miner's second, ...
  std::sort(files.begin(), files.end());
  const double gen_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - gen_start).count();
  std::printf("generated %zu reports in %.1f s\n", files.size(), gen_s);

  collect::StoreOptions store_options;
  store_options.path = root / "db" / "collect.sqlite";
  auto store = collect::CollectStore::open(store_options);
  if (!store) return 1;
  auto authority = collect::open_authority();
  collect::CollectMetrics metrics;
  collect::ReportIngest ingest(**store, *authority, metrics, {});
  const long rss_before = status_kb("VmRSS:");
  double busy_s = 0;
  std::uint64_t stored = 0, bytes_in = 0;
  for (const fs::path& p : files) {
    const std::string file = read_file(p);
    bytes_in += file.size();
    const auto t0 = std::chrono::steady_clock::now();
    const auto outcome = ingest.ingest(file, proof::utc_now_ms());
    busy_s += std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    if (outcome.status == 201)
      ++stored;
    else
      std::fprintf(stderr, "%s: %d %s\n", p.c_str(), outcome.status, outcome.body.c_str());
  }
  store->reset();  // checkpoints the WAL into the database file
  const double total_proofs = static_cast<double>(stored) * proofs;
  const double load_reports_s = miners / 720.0;
  const std::uint64_t disk = dir_bytes(root / "db");
  std::printf(
      "ingested %llu/%zu reports (%.0f proofs, %.1f MB of report files) in %.2f s on "
      "one thread\n",
      static_cast<unsigned long long>(stored), files.size(), total_proofs,
      static_cast<double>(bytes_in) / 1e6, busy_s);
  std::printf(
      "reports/s %.1f  proofs/s %.0f  load %.3f reports/s (%.0f proofs/s)  headroom "
      "x%.0f  one core busy %.1f %% at load\n",
      stored / busy_s, total_proofs / busy_s, load_reports_s, load_reports_s * proofs,
      (stored / busy_s) / load_reports_s, 100.0 * load_reports_s / (stored / busy_s));
  std::printf("RSS %.1f MB (peak %.1f MB, %.1f MB before ingest)\n", status_kb("VmRSS:") / 1e3,
              status_kb("VmHWM:") / 1e3, rss_before / 1e3);
  std::printf("disk %.1f MB: %.1f MB per 1 M proofs (report files %.1f MB per 1 M proofs)\n",
              disk / 1e6, disk / total_proofs, static_cast<double>(bytes_in) / total_proofs);
  fs::remove_all(root);
  return stored == files.size() ? 0 : 1;
}
