// End to end on loopback: the engine mines against the built-in pool, every accepted share
// becomes a proof, a window report is written and verified, and its interval holds the meter's
// figure.
#include <gtest/gtest.h>

#include <fstream>
#include <thread>

#include "cli/proof_session.hpp"
#include "engine/engine.hpp"
#include "local_pool/local_pool.hpp"
#include "proof/utc_time.hpp"
#include "proof/verifier.hpp"
#include "proof/window_reporter.hpp"
#include "temp_dir.hpp"

namespace {

using namespace ih::agent;
using namespace std::chrono_literals;
using ih::proof::fixture::TempDir;

TEST(ProofRoundTrip, MinedProofsVerifyAndTheirIntervalHoldsTheMetersFigure) {
  TempDir tmp;
  local_pool::LocalPoolOptions pool_options;
  pool_options.session.initial_difficulty = 1.0 / 65536;
  pool_options.session.vardiff = false;
  pool_options.job_interval = 1s;  // several jobs (and clean ones) inside the window
  auto pool = local_pool::LocalPool::start(pool_options);
  ASSERT_TRUE(pool.ok()) << pool.error().message;

  ih::proof::ProofStoreOptions store_options;
  store_options.dir = tmp.path() / "proofs";
  auto store = ih::proof::ProofStore::open(store_options).value();
  auto signer = ih::proof::generate_ed25519_key((tmp.path() / "agent.key").string()).value();

  EngineOptions options;
  options.threads = 2;
  options.cpu_kernel = "reference";
  ih::stratum::PoolEndpoint endpoint;
  endpoint.url = (*pool)->url();
  endpoint.user = "sn89auction.hotkey.rig1";
  options.pool.pools.push_back(endpoint);
  EngineObserver observer;
  std::atomic<int> accepted{0};
  observer.on_share = [&](const SettledShare& settled) {
    ih::proof::ProofJob job;
    ih::proof::ShareProof share;
    if (!make_proof(settled, 0, job, share)) return;
    ASSERT_FALSE(store->append(job, share));
    ++accepted;
  };
  auto engine = Engine::create(options, make_stratum_pool_link, observer).value();
  const std::int64_t start = ih::proof::utc_now_ms();
  engine->start();
  std::this_thread::sleep_for(3s);
  engine->stop();
  const std::int64_t end = ih::proof::utc_now_ms();
  (*pool)->stop();
  const double meter = static_cast<double>(engine->meter().total().total) /
                       (static_cast<double>(end - start) / 1000.0);

  ih::proof::WindowReporterOptions report_options;
  report_options.reports_dir = tmp.path() / "reports";
  std::filesystem::create_directories(report_options.reports_dir);
  ih::proof::WindowReporter reporter(*store, *signer, report_options);
  const auto path = reporter.write_window(start, end);
  ASSERT_TRUE(path.ok()) << path.error().message;
  std::ifstream in(*path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ih::proof::SeenShares seen;
  const auto verdict = ih::proof::verify_report(text, {}, seen);
  ASSERT_TRUE(verdict.valid) << ::testing::PrintToString(verdict.reasons);
  EXPECT_GT(verdict.valid_proofs, 20u);
  EXPECT_EQ(verdict.valid_proofs, static_cast<std::uint64_t>(accepted.load()));
  const auto rates = ih::proof::verified_hashrates({verdict});
  ASSERT_EQ(rates.size(), 1u);
  EXPECT_EQ(rates[0].worker_id, "sn89auction.hotkey.rig1");
  const auto& e = rates[0].estimate;
  std::printf("meter %.4g H/s; verified %.4g H/s, 95 %% interval [%.4g, %.4g], %llu proofs\n",
              meter, e.hashrate, e.low, e.high, static_cast<unsigned long long>(e.shares));
  // The 95 % interval misses the true rate in 1 run of 20 by design; asserting it would make a
  // flaky test. The same proofs' 99.99 % interval must hold it.
  const auto wide = ih::proof::estimate_hashrate(
      e.shares, e.hashrate * (end - start) / 1000.0 / ih::proof::kHashesPerDifficulty,
      (end - start) / 1000.0, 0, 0.9999);
  EXPECT_LE(wide.low, meter);
  EXPECT_GE(wide.high, meter);
}

}  // namespace
