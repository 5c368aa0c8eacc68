// Proofs in proxy mode: three simulated miners of known rates behind the proxy, the proof
// session `proxy` runs fed by the forwarded shares. Every window report verifies, names each
// rig under the pool's worker id, and its per-worker figures hold the miners' real rates.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "cli/proof_session.hpp"
#include "cli/proxy_proofs.hpp"
#include "local_pool/local_pool.hpp"
#include "proof/estimator.hpp"
#include "proof/verifier.hpp"
#include "proxy/proxy_service.hpp"
#include "sim_miner.hpp"
#include "wait_until.hpp"

namespace {

using namespace ih;
using namespace std::chrono_literals;

const double kUpstreamDifficulty = 1.0 / 65536;
const char* kWorkerId = "sn89auction.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";

TEST(ProxyProofs, WindowReportsOfAProxyRunVerifyAndHoldEachRigsRate) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("ih-proxy-proofs-" + std::to_string(std::random_device{}()));
  agent::local_pool::LocalPoolOptions po;
  po.session.initial_difficulty = kUpstreamDifficulty;
  po.session.vardiff = false;
  auto pool = agent::local_pool::LocalPool::start(po);
  ASSERT_TRUE(pool.ok()) << pool.error().message;

  agent::ProofConfig pc;
  pc.data_dir = dir.string();
  pc.key_file = (dir / "agent.key").string();
  pc.report_window = 3;
  auto proofs = agent::ProofSession::start(pc);
  ASSERT_TRUE(proofs.ok()) << proofs.error().message;

  proxy::ProxyOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  proxy::ProxyPool up;
  up.name = "central-proxy";
  up.host = "127.0.0.1";
  up.port = (*pool)->port();
  up.worker_id = kWorkerId;
  o.config.main = {up};
  o.initial_difficulty = kUpstreamDifficulty;
  o.min_difficulty = kUpstreamDifficulty;
  o.backoff_initial = 50ms;
  o.on_forwarded = [p = proofs->get()](const proxy::ForwardedShare& s) {
    p->on_share(agent::settled_from_forwarded(s));
  };
  auto service = proxy::ProxyService::start(std::move(o));
  ASSERT_TRUE(service.ok()) << service.error().message;

  const std::map<std::string, double> nominal = {
      {"farm.s9a", 150e3}, {"farm.s9b", 300e3}, {"farm.s19", 600e3}};
  std::vector<test::SimMinerSpec> specs;
  for (const auto& [user, rate] : nominal) specs.push_back({user, "x", rate});
  auto fleet = test::SimFleet::start("127.0.0.1", (*service)->port(), specs);
  ASSERT_TRUE(fleet.ok()) << fleet.error().message;
  ASSERT_TRUE(test::wait_until([&] { return (*fleet)->totals().with_job == 3; }, 10s));
  const auto before = (*fleet)->stats();
  const auto t0 = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(7s);
  const auto after = (*fleet)->stats();
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  (*fleet)->stop();
  (*service)->stop();
  proofs->reset();  // writes the last partial window
  (*pool)->stop();

  std::vector<proof::ReportVerdict> verdicts;
  proof::SeenShares seen;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "reports")) {
    if (entry.path().extension() != ".json") continue;
    std::ifstream in(entry.path());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    verdicts.push_back(proof::verify_report(text, {}, seen));
    EXPECT_TRUE(verdicts.back().valid)
        << entry.path() << ": " << ::testing::PrintToString(verdicts.back().reasons);
  }
  ASSERT_GE(verdicts.size(), 2u);
  // Σ over the windows per worker, against each miner's real rate over the run.
  std::map<std::string, proof::WorkerFigures> total;
  double covered = 0;
  for (const auto& v : verdicts) {
    covered += static_cast<double>(v.end_ms - v.start_ms) / 1000.0;
    for (const auto& [worker, f] : v.workers) {
      total[worker].shares += f.shares;
      total[worker].difficulty_sum += f.difficulty_sum;
    }
  }
  for (std::size_t i = 0; i < after.size(); ++i) {
    const std::string rig = after[i].user.substr(after[i].user.find('.') + 1);
    const std::string upstream = std::string(kWorkerId) + "." + rig;
    ASSERT_TRUE(total.count(upstream)) << upstream << " is in no report";
    const double real = static_cast<double>(after[i].hashes - before[i].hashes) / seconds;
    const auto est =
        proof::estimate_hashrate(total[upstream].shares, total[upstream].difficulty_sum, covered,
                                 kUpstreamDifficulty, 0.999);
    std::printf("%s: verified %.0f H/s [%.0f, %.0f] from %llu proofs; real %.0f H/s\n",
                upstream.c_str(), est.hashrate, est.low, est.high,
                static_cast<unsigned long long>(est.shares), real);
    EXPECT_LE(est.low, real) << upstream;
    EXPECT_GE(est.high, real) << upstream;
  }
  std::filesystem::remove_all(dir);
}

}  // namespace
