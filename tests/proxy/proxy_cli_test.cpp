// `infinite-hashes proxy` as an operator runs it: --dry-run on good and bad files, the API's
// safety rule, and a live run that takes SIGHUP with a bad file (refused, the old config stays)
// and then a good one (applied), then stops cleanly on SIGINT.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "local_pool/local_pool.hpp"
#include "run_command.hpp"

namespace {

using ih::test::run_command;
using namespace std::chrono_literals;

const std::string kBinary = IH_AGENT_BINARY;

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

std::string pools_toml(std::uint16_t port, const std::string& target) {
  return "[[pools.main]]\nname = \"central-proxy\"\nhost = \"127.0.0.1\"\nport = " +
         std::to_string(port) +
         "\nworker_id = \"sn89auction.5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY\"\n"
         "target_hashrate = \"" +
         target + "\"\n\n[[pools.main]]\nname = \"own-pool\"\nhost = \"127.0.0.1\"\nport = " +
         std::to_string(port) + "\nweight = 1\nworker_id = \"myaccount\"\n";
}

TEST(ProxyCli, DryRunPrintsThePoolsAndABadFileNamesTheKey) {
  const auto good = write_file("proxy_good.toml", pools_toml(3333, "300TH/s"));
  auto r = run_command(kBinary + " proxy --dry-run -c " + good);
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("central-proxy"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("target 300 TH/s"), std::string::npos) << r.output;
  const auto bad = write_file("proxy_bad.toml", pools_toml(3333, "fast"));
  r = run_command(kBinary + " proxy --dry-run -c " + bad);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("pools.main[0].target_hashrate"), std::string::npos) << r.output;
}

TEST(ProxyCli, AnApiOffLoopbackWithoutATokenIsRefused) {
  const auto good = write_file("proxy_api.toml", pools_toml(3333, "1TH/s"));
  const auto r = run_command(kBinary + " proxy -c " + good + " --api-bind 0.0.0.0:0");
  EXPECT_EQ(r.exit_code, 2) << r.output;
}

TEST(ProxyCli, SighupWithABadFileKeepsTheConfigAndAGoodOneApplies) {
  ih::agent::local_pool::LocalPoolOptions o;
  o.session.initial_difficulty = 1.0 / 65536;
  auto pool = ih::agent::local_pool::LocalPool::start(o);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  const std::uint16_t port = (*pool)->port();
  const auto file = write_file("proxy_live.toml", pools_toml(port, "1MH/s"));
  const std::string bad =
      pools_toml(port, "1MH/s") + "\n[routing]\nrebalance_interval_seconds = \"x\"\n";
  const std::string good = pools_toml(port, "2MH/s");
  const std::string script =
      kBinary + " proxy -c " + file +
      " --bind 127.0.0.1:0 --api-bind 127.0.0.1:0 --stats-interval 0 & pid=$!; sleep 1.5; "
      "printf '%s' '" +
      bad + "' > " + file +
      "; kill -HUP $pid; sleep 0.7; "
      "printf '%s' '" +
      good + "' > " + file +
      "; kill -HUP $pid; sleep 0.7; "
      "kill -INT $pid; wait $pid";
  const auto r = run_command("bash " + write_file("proxy_live.sh", script));
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("listening on stratum+tcp://127.0.0.1:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("routing.rebalance_interval_seconds"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("(the running config stays)"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("target 2 MH/s"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("config reloaded"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("proxy: stopping"), std::string::npos) << r.output;
  (*pool)->stop();
}

// --cpu: the machine's own CPU is one more downstream worker; its shares reach the pool
// through the proxy, under the pool's worker id.
TEST(ProxyCli, TheLocalCpuMinesThroughTheProxyAsOneMoreWorker) {
  ih::agent::local_pool::LocalPoolOptions o;
  o.session.initial_difficulty = 1.0 / 65536;
  o.session.vardiff = false;
  auto pool = ih::agent::local_pool::LocalPool::start(o);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  const auto file = write_file("proxy_cpu.toml", pools_toml((*pool)->port(), "1MH/s"));
  const auto r = run_command("timeout --preserve-status -s INT 5 " + kBinary + " proxy -c " + file +
                             " --bind 127.0.0.1:0 --api-bind off --no-proofs --stats-interval 0"
                             " --cpu -t 1 --local-worker local.rig0"
                             " --start-difficulty 0.0000152587890625");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("local mining as local.rig0 on 1 CPU thread(s)"), std::string::npos)
      << r.output;
  EXPECT_NE(r.output.find("worker local.rig0"), std::string::npos) << r.output;
  EXPECT_GT((*pool)->stats().accepted, 0u) << r.output;
  EXPECT_EQ((*pool)->stats().rejected, 0u) << r.output;
  (*pool)->stop();
}

}  // namespace
