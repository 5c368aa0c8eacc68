// TLS pools with a certificate made at test time: verified, wrong CA, no trust at all,
// --pool-insecure, and a pinned leaf certificate; client-wide and per pool.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

#include <tuple>

#include "client_events.hpp"
#include "ih/stratum/client/pool_client.hpp"
#include "scripted_server.hpp"

namespace {

using namespace ih::stratum;
using ih::test::ClientEvents;
using ih::test::ScriptedServer;
using ih::test::TestPki;
using nlohmann::json;
using namespace std::chrono_literals;

PoolClientOptions tls_options(const std::string& url) {
  PoolClientOptions o;
  o.pools.push_back({url, "refminer.worker1", "x", {}});
  o.backoff_initial = 50ms;
  o.backoff_max = 100ms;
  o.request_timeout = 2s;
  return o;
}

json notify_params() {
  return json::array({"t1", std::string(64, '1'), "01000000", "ffffffff", json::array(), "20000000",
                      "207fffff", "6b0c221d", true});
}

class Tls : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { pki_ = new TestPki(TestPki::generate()); }
  static void TearDownTestSuite() { delete pki_; }
  static TestPki* pki_;
};
TestPki* Tls::pki_ = nullptr;

TEST_F(Tls, VerifiedAgainstTheGivenCa) {
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options(pool.url());
  options.ca_file = ih::test::write_temp_file("ca-ok.pem", pki_->ca_cert_pem);
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(pool.accept()) << pool.last_error();
  pool.handshake();
  pool.notify("mining.notify", notify_params());
  ASSERT_TRUE(log.wait_jobs(1));
  client.stop();
}

TEST_F(Tls, VerifiedByHostNameToo) {
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options("stratum+tls://localhost:" + std::to_string(pool.port()));
  options.ca_file = ih::test::write_temp_file("ca-ok2.pem", pki_->ca_cert_pem);
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(pool.accept(5s)) << pool.last_error();
  pool.handshake();
  pool.notify("mining.notify", notify_params());
  ASSERT_TRUE(log.wait_jobs(1));
  client.stop();
}

TEST_F(Tls, RejectsACertificateFromAnotherCa) {
  const TestPki stranger = TestPki::generate("some other CA");
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options(pool.url());
  options.ca_file = ih::test::write_temp_file("ca-wrong.pem", stranger.ca_cert_pem);
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  EXPECT_FALSE(pool.accept()) << "the handshake must fail";
  ASSERT_TRUE(log.wait_connections(1));
  const auto c = log.connections()[0];
  EXPECT_FALSE(c.up);
  EXPECT_NE(c.reason.find("certificate verify failed"), std::string::npos) << c.reason;
  client.stop();
  EXPECT_TRUE(log.jobs().empty());
}

TEST_F(Tls, InsecureAcceptsAnyCertificateAndWarns) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("tls-test", sink));
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options(pool.url());
  options.insecure_tls = true;  // and no CA given at all
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  ASSERT_TRUE(pool.accept()) << pool.last_error();
  pool.handshake();
  pool.notify("mining.notify", notify_params());
  ASSERT_TRUE(log.wait_jobs(1));
  client.stop();
  spdlog::set_default_logger(previous);
  bool warned = false;
  for (const auto& line : sink->last_formatted())
    warned |= line.find("verification is OFF") != std::string::npos;
  EXPECT_TRUE(warned);
}

// The logger's lines while `body` runs.
template <class F>
std::vector<std::string> logged(F body) {
  auto sink = std::make_shared<spdlog::sinks::ringbuffer_sink_mt>(64);
  auto previous = spdlog::default_logger();
  spdlog::set_default_logger(std::make_shared<spdlog::logger>("tls-test", sink));
  body();
  spdlog::set_default_logger(previous);
  return sink->last_formatted();
}

bool any_line_has(const std::vector<std::string>& lines, const std::string& text) {
  for (const auto& line : lines)
    if (line.find(text) != std::string::npos) return true;
  return false;
}

// Mines a job from the pool, or fails the test.
void expect_job(ScriptedServer& pool, PoolClient& client, ClientEvents& log) {
  ASSERT_TRUE(pool.accept()) << pool.last_error();
  pool.handshake();
  pool.notify("mining.notify", notify_params());
  EXPECT_TRUE(log.wait_jobs(1));
  client.stop();
}

// The connection fails; returns why.
std::string expect_failure(ScriptedServer& pool, PoolClient& client, ClientEvents& log) {
  EXPECT_FALSE(pool.accept()) << "the handshake must fail";
  EXPECT_TRUE(log.wait_connections(1));
  client.stop();
  EXPECT_TRUE(log.jobs().empty());
  const auto c = log.connections();
  if (c.empty()) return {};
  EXPECT_FALSE(c[0].up);
  return c[0].reason;
}

TEST_F(Tls, PerPoolCaFileIsTrusted) {
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options(pool.url());
  options.pools[0].tls_ca = ih::test::write_temp_file("ca-pool.pem", pki_->ca_cert_pem);
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  expect_job(pool, client, log);
}

TEST_F(Tls, WithoutTrustOptionsAPrivateCaIsACertificateErrorNamingThePool) {
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  ClientEvents log;
  PoolClient client(tls_options(pool.url()), log.events());
  client.start();
  const std::string why = expect_failure(pool, client, log);
  EXPECT_NE(why.find("certificate verify failed"), std::string::npos) << why;
  EXPECT_NE(why.find("unable to get local issuer certificate"), std::string::npos) << why;
  EXPECT_NE(why.find(pool.url()), std::string::npos) << why;
}

TEST_F(Tls, PerPoolInsecureConnectsAndWarnsNamingThePool) {
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options(pool.url());
  options.pools[0].tls_insecure = true;
  const auto lines = logged([&] {
    ClientEvents log;
    PoolClient client(options, log.events());
    client.start();
    expect_job(pool, client, log);
  });
  EXPECT_TRUE(
      any_line_has(lines, "pool 0 " + pool.url() + ": TLS certificate verification is OFF"));
}

TEST_F(Tls, TheRightPinIsTrustedWithoutAnyCa) {
  ScriptedServer pool(ScriptedServer::Options{false, pki_->server});
  auto options = tls_options(pool.url());
  options.pools[0].tls_fingerprint = pki_->server_sha256;
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  expect_job(pool, client, log);
}

TEST_F(Tls, AWrongPinFailsClearlyAndTheClientFailsOver) {
  ScriptedServer pinned(ScriptedServer::Options{false, pki_->server});
  ScriptedServer backup;
  auto options = tls_options(pinned.url());
  options.pools[0].tls_fingerprint = std::string(64, 'a');
  options.pools.push_back({backup.url(), "refminer.worker1", "x", {}});
  ClientEvents log;
  PoolClient client(options, log.events());
  client.start();
  // The pinned pool completes the TLS handshake, then the client hangs up on it.
  ASSERT_TRUE(pinned.accept()) << pinned.last_error();
  EXPECT_TRUE(pinned.wait_closed());
  ASSERT_TRUE(backup.accept()) << backup.last_error();
  backup.handshake();
  backup.notify("mining.notify", notify_params());
  ASSERT_TRUE(log.wait_jobs(1));
  client.stop();
  const auto c = log.connections();
  ASSERT_GE(c.size(), 2u);
  EXPECT_EQ(c[0].pool, 0u);
  EXPECT_FALSE(c[0].up);
  EXPECT_NE(c[0].reason.find("TLS certificate pin mismatch for " + pinned.url()), std::string::npos)
      << c[0].reason;
  EXPECT_NE(c[0].reason.find(pki_->server_sha256), std::string::npos) << c[0].reason;
  EXPECT_EQ(c[1].pool, 1u);
  EXPECT_TRUE(c[1].up);
  EXPECT_EQ(log.jobs()[0].pool_index, 1u);
}

// Names are checked for host names, the certificate's IP addresses for IP literals.
TEST_F(Tls, ACertificateForAnotherNameOrAddressIsRejected) {
  for (const auto& [names, host, why] :
       {std::tuple{"DNS:localhost", "127.0.0.1", "IP address mismatch"},
        std::tuple{"IP:127.0.0.1", "localhost", "hostname mismatch"}}) {
    const TestPki other = TestPki::generate("ih test CA", names);
    ScriptedServer pool(ScriptedServer::Options{false, other.server});
    auto options =
        tls_options(std::string("stratum+ssl://") + host + ":" + std::to_string(pool.port()));
    options.pools[0].tls_ca = ih::test::write_temp_file("ca-names.pem", other.ca_cert_pem);
    ClientEvents log;
    PoolClient client(options, log.events());
    client.start();
    const std::string reason = expect_failure(pool, client, log);
    EXPECT_NE(reason.find(why), std::string::npos) << names << " via " << host << ": " << reason;
  }
}

}  // namespace
