// TLS pools with a certificate made at test time: verified, wrong CA, and --pool-insecure.
#include <gtest/gtest.h>
#include <spdlog/sinks/ringbuffer_sink.h>
#include <spdlog/spdlog.h>

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

}  // namespace
