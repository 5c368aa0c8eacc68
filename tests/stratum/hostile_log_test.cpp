// A hostile pool's bytes reach the log only escaped and rate-limited: no control character,
// no escape sequence, no 64 KiB line, no line per garbage line received.
#include <gtest/gtest.h>

#include <sstream>
#include <thread>

#include "captured_log.hpp"
#include "client_events.hpp"
#include "ih/stratum/client/pool_client.hpp"
#include "pool_fixtures.hpp"
#include "scripted_server.hpp"

namespace {

using namespace ih::stratum;
using ih::test::CapturedLog;
using ih::test::ClientEvents;
using ih::test::notify_params;
using ih::test::ScriptedServer;
using ih::test::share_for;
using nlohmann::json;
using namespace std::chrono_literals;

TEST(HostilePool, ControlBytesNeverReachTheLog) {
  // Raw bytes for non-JSON lines; inside JSON strings the same as valid UTF-8 (C1 CSI as C2 9B).
  const std::string raw_evil =
      "\x1b[2J\x1b]0;owned\x07\r\x7f\x9b"
      "31m\x01\x08";
  const std::string evil =
      "\x1b[2J\x1b]0;owned\x07\r\x7f\xc2\x9b"
      "31m\x01\x08";
  ClientEvents log;
  std::string captured;
  {
    CapturedLog capture;
    ScriptedServer pool;
    PoolClientOptions options;
    options.pools.push_back({pool.url(), "w", "x", {}});
    options.backoff_initial = 50ms;
    options.watchdog.max_invalid_jobs = 1000;  // keep the session for every line below
    options.watchdog.warning_burst = 5;
    PoolClient client(options, log.events());
    client.start();
    ASSERT_TRUE(pool.accept());
    pool.handshake();
    pool.send_raw(raw_evil + "raw garbage\n");
    pool.notify("client.show_message", json::array({evil + "hello"}));
    pool.notify(evil, json::array());  // an unknown method named with escapes
    auto bad = notify_params(evil);
    bad[1] = evil;
    pool.notify("mining.notify", bad);
    for (int i = 0; i < 200; ++i) pool.send_raw(raw_evil + std::to_string(i) + "\n");
    pool.send_line(std::string(60000, 'A') + raw_evil);  // one long line under the limit
    pool.notify("mining.notify", notify_params("j1"));
    ASSERT_TRUE(log.wait_jobs(1));
    client.submit(share_for(log.jobs()[0], 1));
    auto submit = pool.expect("mining.submit");
    pool.reply_error(submit["id"], json::array({23, evil + "rejected", nullptr}));
    ASSERT_TRUE(log.wait_results(1));
    pool.notify("client.reconnect", json::array({evil + ".invalid", 1, 0}));
    EXPECT_TRUE(pool.wait_closed());
    client.stop();
    captured = capture.text();
  }
  ASSERT_NE(captured.find("\\x1b[2J"), std::string::npos) << "the bytes were logged, escaped";
  for (std::size_t i = 0; i < captured.size(); ++i) {
    const auto byte = static_cast<unsigned char>(captured[i]);
    const bool bad_byte = (byte < 0x20 && byte != '\n') || byte == 0x7f || byte >= 0x80;
    ASSERT_FALSE(bad_byte) << "byte 0x" << std::hex << static_cast<int>(byte) << " at " << std::dec
                           << i << " in: " << captured.substr(i > 80 ? i - 80 : 0, 160);
  }
  std::size_t lines = 0, longest = 0;
  std::istringstream in(captured);
  for (std::string line; std::getline(in, line); ++lines) longest = std::max(longest, line.size());
  EXPECT_LT(lines, 40u) << "200+ garbage lines must not make 200 log lines";
  EXPECT_LT(longest, 1000u) << "a 60 KB line is cut";
  EXPECT_NE(captured.find("suppressed"), std::string::npos) << "the count of the rest is shown";
  // What the engine gets is escaped too (it prints these on the console).
  ASSERT_EQ(log.messages().size(), 1u);
  EXPECT_EQ(log.messages()[0].find('\x1b'), std::string::npos);
  EXPECT_EQ(log.results()[0].reason.find('\x1b'), std::string::npos);
}

}  // namespace
