// Hostile clients against the status endpoint while the agent mines: a 10 MiB body, headers one
// byte a second, 500 parallel connections, garbage bytes, a huge URL. After each the endpoint
// answers a normal request, and mining goes on at its undisturbed rate (a generous bound: the
// machine is shared; the figures are printed).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>

#include <atomic>
#include <random>
#include <vector>

#include "status/status_routes.hpp"
#include "status/status_server.hpp"
#include "status_test_support.hpp"

namespace {

using namespace ih::agent;
using namespace ih::agent::status;
using namespace std::chrono_literals;

std::uint64_t hashes(const ih::test::LiveMiner& m) {
  return m.engine->meter().total().total;
}

void expect_normal_answer(std::uint16_t port, const char* after) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(5, 0);
  const auto begin = std::chrono::steady_clock::now();
  auto r = client.Get("/1/summary");
  ASSERT_TRUE(r) << "no answer right after " << after;
  EXPECT_EQ(r->status, 200) << after;
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 3s) << "slow answer after " << after;
}

std::string send_and_read(std::uint16_t port, const std::string& request) {
  const int fd = ih::test::connect_loopback(port);
  EXPECT_GE(fd, 0);
  ih::test::send_all(fd, request);  // the server may close before taking it all
  bool closed = false;
  std::string reply = ih::test::read_until_closed(fd, 10s, &closed);
  ::close(fd);
  EXPECT_TRUE(closed || !reply.empty()) << "neither an answer nor a close";
  return reply;
}

// 500 connections at once, each asks GET /health; returns how many got "200".
int parallel_requests(std::uint16_t port, int count, std::chrono::seconds limit) {
  struct Conn {
    int fd = -1;
    bool sent = false, done = false;
    std::string reply;
  };
  std::vector<Conn> conns(static_cast<std::size_t>(count));
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (auto& c : conns) {
    c.fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
    ::connect(c.fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);  // EINPROGRESS
  }
  const std::string request = "GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n";
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int open = count;
  while (open > 0 && std::chrono::steady_clock::now() < deadline) {
    std::vector<pollfd> fds;
    std::vector<Conn*> owners;
    for (auto& c : conns) {
      if (c.done) continue;
      fds.push_back({c.fd, static_cast<short>(c.sent ? POLLIN : POLLOUT), 0});
      owners.push_back(&c);
    }
    if (::poll(fds.data(), fds.size(), 200) <= 0) continue;
    for (std::size_t i = 0; i < fds.size(); ++i) {
      Conn& c = *owners[i];
      if (fds[i].revents == 0) continue;
      if (!c.sent) {
        c.sent = ::send(c.fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                 static_cast<ssize_t>(request.size());
        if (!c.sent) c.done = true, --open;
        continue;
      }
      char buffer[2048];
      const ssize_t n = ::recv(c.fd, buffer, sizeof buffer, 0);
      if (n > 0) {
        c.reply.append(buffer, static_cast<std::size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK)) {
        c.done = true;
        --open;
      }
    }
  }
  int ok = 0;
  for (auto& c : conns) {
    ok += c.reply.rfind("HTTP/1.1 200", 0) == 0 ? 1 : 0;
    ::close(c.fd);
  }
  return ok;
}

TEST(StatusAbuse, HostileClientsStallNeitherTheEndpointNorMining) {
  auto miner = ih::test::LiveMiner::start();
  ASSERT_TRUE(miner);
  HealthPolicy health;
  StatusServerOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  StatusServer server(o);
  for (auto& route : standard_routes(*miner->source, health)) server.add_route(std::move(route));
  auto port = server.start();
  ASSERT_TRUE(port) << port.error().message;

  // Undisturbed rate first (after the self-benchmark and the first job).
  const auto settle_deadline = std::chrono::steady_clock::now() + 10s;
  while (hashes(*miner) == 0 && std::chrono::steady_clock::now() < settle_deadline)
    std::this_thread::sleep_for(50ms);
  std::this_thread::sleep_for(1s);
  auto t0 = std::chrono::steady_clock::now();
  auto h0 = hashes(*miner);
  std::this_thread::sleep_for(3s);
  const double baseline =
      static_cast<double>(hashes(*miner) - h0) /
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_GT(baseline, 0);
  t0 = std::chrono::steady_clock::now();
  h0 = hashes(*miner);

  {  // 10 MiB body: refused by its Content-Length, long before it is read
    std::string request =
        "POST /json_rpc HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        "Content-Length: 10485760\r\n\r\n";
    request += std::string(10 * 1024 * 1024, '{');
    const std::string reply = send_and_read(*port, request);
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.1 413", 0), 0u) << reply.substr(0, 200);
    }
    expect_normal_answer(*port, "a 10 MiB body");
  }
  {  // a huge URL
    const std::string reply =
        send_and_read(*port, "GET /" + std::string(100000, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n");
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.1 414", 0), 0u) << reply.substr(0, 200);
    }
    expect_normal_answer(*port, "a huge URL");
  }
  {  // garbage bytes
    std::mt19937 random(7);
    std::string junk(64 * 1024, '\0');
    for (char& c : junk) c = static_cast<char>(random());
    junk += "\r\n\r\n";
    const std::string reply = send_and_read(*port, junk);
    if (!reply.empty()) {
      EXPECT_EQ(reply.rfind("HTTP/1.1 400", 0), 0u) << reply.substr(0, 200);
    }
    expect_normal_answer(*port, "garbage bytes");
  }
  {  // headers one byte a second (bounded: 6 s), while others are served normally
    const int fd = ih::test::connect_loopback(*port);
    ASSERT_GE(fd, 0);
    const std::string slow = "GET /1/summary HTTP/1.1\r\nHost: slow\r\n";
    for (std::size_t i = 0; i < 6 && i < slow.size(); ++i) {
      ih::test::send_all(fd, std::string(1, slow[i]));
      expect_normal_answer(*port, "a byte of a slow header");
      std::this_thread::sleep_for(1s);
    }
    ::close(fd);
    expect_normal_answer(*port, "headers one byte a second");
  }
  {  // 500 parallel connections
    const auto begin = std::chrono::steady_clock::now();
    const int ok = parallel_requests(*port, 500, 60s);
    std::printf("500 parallel connections: %d answered 200 in %.1f s\n", ok,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count());
    EXPECT_EQ(ok, 500);
    expect_normal_answer(*port, "500 parallel connections");
  }

  const double during =
      static_cast<double>(hashes(*miner) - h0) /
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("hashrate undisturbed %.3g H/s, under abuse %.3g H/s (%.0f %%)\n", baseline, during,
              100 * during / baseline);
  EXPECT_GT(during, 0.3 * baseline) << "mining slowed down far beyond noise under abuse";
}

}  // namespace
