// End to end on loopback: the engine mines against the built-in pool, every accepted share
// becomes a proof, a window report is written and verified, and its 95 % interval holds the
// meter's figure.
#include <gtest/gtest.h>

#include <cmath>
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

struct MinedWindow {
  double meter = 0;  // H/s the engine counted over the window
  ih::proof::ReportVerdict verdict;
  std::uint64_t accepted = 0;  // proofs the engine handed over
};

// Mines `seconds` at share difficulty `difficulty` into a fresh proof store, writes the window's
// report and verifies it from the file's bytes.
MinedWindow mine_window(const TempDir& tmp, const std::string& name, double difficulty,
                        std::chrono::milliseconds duration) {
  local_pool::LocalPoolOptions pool_options;
  pool_options.session.initial_difficulty = difficulty;
  pool_options.session.vardiff = false;
  pool_options.job_interval = 1s;  // more than one job (and clean ones) inside the window
  auto pool = local_pool::LocalPool::start(pool_options);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  if (!pool.ok()) return {};

  ih::proof::ProofStoreOptions store_options;
  store_options.dir = tmp.path() / name / "proofs";
  auto store = ih::proof::ProofStore::open(store_options).value();
  auto signer = ih::proof::generate_ed25519_key((tmp.path() / (name + ".key")).string()).value();

  EngineOptions options;
  options.threads = 1;  // one core mines, the other serves the pool and the test
  options.cpu_kernel = "auto";
  options.max_share_rate = 5000;  // the guard must not raise the difficulty mid-window
  ih::stratum::PoolEndpoint endpoint;
  endpoint.url = (*pool)->url();
  endpoint.user = "sn89auction.hotkey.rig1";
  options.pool.pools.push_back(endpoint);
  EngineObserver observer;
  std::atomic<std::uint64_t> accepted{0};
  observer.on_share = [&](const SettledShare& settled) {
    ih::proof::ProofJob job;
    ih::proof::ShareProof share;
    if (!make_proof(settled, 0, job, share)) return;
    EXPECT_FALSE(store->append(job, share));
    ++accepted;
  };
  auto engine = Engine::create(options, make_stratum_pool_link, observer).value();
  const std::int64_t start = ih::proof::utc_now_ms();
  engine->start();
  std::this_thread::sleep_for(duration);
  engine->stop();  // waits for the replies to every share found
  const std::int64_t end = ih::proof::utc_now_ms();
  (*pool)->stop();

  MinedWindow out;
  out.meter = static_cast<double>(engine->meter().total().total) /
              (static_cast<double>(end - start) / 1000.0);
  out.accepted = accepted.load();
  ih::proof::WindowReporterOptions report_options;
  report_options.reports_dir = tmp.path() / name / "reports";
  std::filesystem::create_directories(report_options.reports_dir);
  ih::proof::WindowReporter reporter(*store, *signer, report_options);
  const auto path = reporter.write_window(start, end);
  EXPECT_TRUE(path.ok()) << path.error().message;
  if (!path.ok()) return out;
  std::ifstream in(*path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  ih::proof::SeenShares seen;
  out.verdict = ih::proof::verify_report(text, {}, seen);
  return out;
}

TEST(ProofRoundTrip, MinedProofsVerifyAndTheir95PercentIntervalHoldsTheMetersFigure) {
  TempDir tmp;
  // Calibration: this machine's speed sets the difficulty that gives each window about 600
  // shares, so the 95 % interval is about +-8 % wide: an estimator (or a difficulty, or a
  // window length) off by a few per cent more than that misses in every window.
  const MinedWindow calibration = mine_window(tmp, "calibration", 1.0 / 65536, 1s);
  ASSERT_GT(calibration.meter, 0);
  const auto window = 2s;
  const double target_shares = 600;
  const double difficulty =
      calibration.meter * 2.0 / (target_shares * ih::proof::kHashesPerDifficulty);

  // A 95 % interval misses the true rate in 1 run of 20 by design. The test passes when one of
  // three independent windows holds the meter's figure: a correct estimator fails that about
  // once in 8 000 runs (0.05^3), a biased one fails it every time.
  int covered = 0;
  for (int attempt = 0; attempt < 3 && covered == 0; ++attempt) {
    const MinedWindow w = mine_window(tmp, "window" + std::to_string(attempt), difficulty, window);
    ASSERT_TRUE(w.verdict.valid) << ::testing::PrintToString(w.verdict.reasons);
    EXPECT_EQ(w.verdict.valid_proofs, w.accepted);
    ASSERT_GT(w.verdict.valid_proofs, 150u) << "too few shares for a meaningful interval";
    const auto rates = ih::proof::verified_hashrates({w.verdict});
    ASSERT_EQ(rates.size(), 1u);
    EXPECT_EQ(rates[0].worker_id, "sn89auction.hotkey.rig1");
    const auto& e = rates[0].estimate;
    const bool inside = e.low <= w.meter && w.meter <= e.high;
    std::printf(
        "window %d: meter %.4g H/s; verified %.4g H/s, 95 %% interval [%.4g, %.4g], "
        "%llu proofs: %s\n",
        attempt, w.meter, e.hashrate, e.low, e.high, static_cast<unsigned long long>(e.shares),
        inside ? "inside" : "outside");
    covered += inside ? 1 : 0;
  }
  EXPECT_EQ(covered, 1) << "the meter's figure lies outside the 95 % interval of all three windows";
}

}  // namespace
