// `infinite-hashes mine` with a pool list, run as a user runs it: two built-in pools that each
// accept only their own user (the first is killed mid-run), and TLS pools trusted by a CA made
// at test time, by a pin, or not at all.
#include <gtest/gtest.h>

#include <chrono>
#include <future>

#include "local_pool/local_pool.hpp"
#include "run_command.hpp"
#include "scripted_server.hpp"
#include "wait_until.hpp"

namespace {

using namespace std::chrono_literals;
using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;
const std::string kAlice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
const std::string kSn89User = "sn89auction." + kAlice + ".rig1";

std::unique_ptr<ih::agent::local_pool::LocalPool> start_pool(const std::string& user) {
  ih::agent::local_pool::LocalPoolOptions options;
  options.session.initial_difficulty = 1.0 / 65536;
  options.session.vardiff = false;
  options.session.expected_user = user;
  auto pool = ih::agent::local_pool::LocalPool::start(options);
  EXPECT_TRUE(pool.ok()) << pool.error().message;
  return pool.ok() ? std::move(*pool) : nullptr;
}

// `mine` for `seconds`, then SIGINT; returns what it printed.
std::future<ih::test::CommandResult> mine_for(int seconds, const std::string& args) {
  return std::async(std::launch::async, [=] {
    return run_command("timeout --preserve-status -s INT " + std::to_string(seconds) + " " +
                       kBinary + " --no-color mine -t 1 --no-gpu --stats-interval 1 " + args);
  });
}

bool has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(MinePools, TwoPoolsWithTheirOwnUsersFailOverWhenTheFirstIsKilled) {
  auto first = start_pool(kSn89User);
  auto second = start_pool("myaccount.rig1");
  ASSERT_TRUE(first && second);
  // Taken now: a stopped pool no longer knows its port.
  const std::string first_url = first->url(), second_url = second->url();
  auto run = mine_for(6, "--hotkey " + kAlice + " --worker rig1 -o " + first_url + " -o " +
                             second_url + " -u myaccount.rig1");
  EXPECT_TRUE(ih::test::wait_until([&] { return first->stats().accepted >= 1; }, 4s))
      << "no share reached the first pool";
  first->stop();
  const auto r = run.get();
  EXPECT_EQ(r.exit_code, 0) << r.output;
  const std::string p0 = "pool 0 (" + first_url + " as " + kSn89User + ")";
  const std::string p1 = "pool 1 (" + second_url + " as myaccount.rig1)";
  EXPECT_TRUE(has(r.output, p0 + " is active (the primary)")) << r.output;
  // The reason depends on timing: a close, or a reset when the pool had unread bytes.
  EXPECT_TRUE(has(r.output, p0 + " lost: ")) << r.output;
  EXPECT_TRUE(has(r.output, p1 + " is active (backup 1 of 1); switched from pool 0: ")) << r.output;
  EXPECT_TRUE(has(r.output, "summary: pool 1 " + second_url + " as myaccount.rig1: accepted"))
      << r.output;
  EXPECT_GE(second->stats().accepted, 1u) << r.output;
  EXPECT_EQ(second->stats().rejected, 0u) << r.output;
}

class MineTls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new ih::test::TestPki(ih::test::TestPki::generate()); }
  static void TearDownTestSuite() { delete pki_; }

  // Runs `mine` against a TLS scripted pool with `trust` options. `expect_handshake`: the TLS
  // handshake completes on the pool's side; `speak`: then the pool hands out a job.
  static ih::test::CommandResult mine_tls(const std::string& trust, bool expect_handshake,
                                          bool speak = true) {
    ih::test::ScriptedServer pool(ih::test::ScriptedServer::Options{false, pki_->server});
    url_ = pool.url();
    auto run = mine_for(3, "-o " + pool.url() + " -u tls.rig1 " + trust);
    const bool accepted = pool.accept(5s);
    EXPECT_EQ(accepted, expect_handshake) << pool.last_error();
    if (accepted && !speak) {
      EXPECT_TRUE(pool.wait_closed());
    }
    if (accepted && speak) {
      pool.handshake();
      pool.notify("mining.notify",
                  nlohmann::json::array({"t1", std::string(64, '1'), "01000000", "ffffffff",
                                         nlohmann::json::array(), "20000000", "207fffff",
                                         "6b0c221d", true}));
    }
    return run.get();
  }
  static ih::test::TestPki* pki_;
  static std::string url_;
};
ih::test::TestPki* MineTls::pki_ = nullptr;
std::string MineTls::url_;

TEST_F(MineTls, PoolCaIsTrusted) {
  const auto r =
      mine_tls("--pool-ca " + ih::test::write_temp_file("mine-ca.pem", pki_->ca_cert_pem), true);
  EXPECT_TRUE(has(r.output, "pool 0 (" + url_ + " as tls.rig1, TLS: system CAs + ")) << r.output;
  EXPECT_TRUE(has(r.output, ") is active")) << r.output;
}

TEST_F(MineTls, WithoutTrustItIsACertificateErrorNamingThePool) {
  const auto r = mine_tls("", false);
  EXPECT_TRUE(has(r.output, "pool 0 (" + url_ +
                                " as tls.rig1, TLS: system CAs) connection "
                                "failed: TLS handshake with " +
                                url_ + " failed: certificate verify failed"))
      << r.output;
  EXPECT_FALSE(has(r.output, "is active")) << r.output;
}

TEST_F(MineTls, InsecureConnectsAndWarnsAtStartAndInTheSummary) {
  const auto r = mine_tls("--pool-insecure", true);
  EXPECT_TRUE(has(r.output, "pool 0: TLS certificate verification is OFF")) << r.output;
  EXPECT_TRUE(has(r.output, ") is active")) << r.output;
  EXPECT_TRUE(
      has(r.output, "summary: pool 0 " + url_ + " as tls.rig1, TLS: certificate verification OFF"))
      << r.output;
}

TEST_F(MineTls, TheRightPinConnectsAndAWrongOneFailsClearly) {
  auto r = mine_tls("--pool-fingerprint " + pki_->server_sha256, true);
  EXPECT_TRUE(has(r.output, "TLS: pinned to SHA-256 " + pki_->server_sha256 + ") is active"))
      << r.output;
  r = mine_tls("--pool-fingerprint " + std::string(64, '0'), true, false);  // then a hang-up
  EXPECT_TRUE(has(r.output, "TLS certificate pin mismatch for " + url_)) << r.output;
  EXPECT_FALSE(has(r.output, "is active")) << r.output;
}

}  // namespace
