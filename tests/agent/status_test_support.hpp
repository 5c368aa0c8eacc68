// Loopback helpers for the status endpoint tests: a live miner (local pool + engine + status
// source) and raw sockets for speaking to servers the way hostile or old clients do.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "engine/engine.hpp"
#include "local_pool/local_pool.hpp"
#include "status/engine_status_source.hpp"

namespace ih::test {

using namespace std::chrono_literals;

inline constexpr const char* kPoolPassword = "pool-secret-password";

// A miner on one CPU thread against the built-in pool, with its status source.
struct LiveMiner {
  std::unique_ptr<agent::local_pool::LocalPool> pool;
  std::unique_ptr<agent::Engine> engine;
  std::unique_ptr<agent::status::EngineStatusSource> source;

  static std::unique_ptr<LiveMiner> start() {
    auto m = std::make_unique<LiveMiner>();
    agent::local_pool::LocalPoolOptions pool_options;
    pool_options.session.initial_difficulty = 1.0 / 1024;
    pool_options.job_interval = 60s;
    auto pool = agent::local_pool::LocalPool::start(pool_options);
    if (!pool) return nullptr;
    m->pool = std::move(*pool);
    agent::EngineOptions options;
    options.threads = 1;
    stratum::PoolEndpoint endpoint;
    endpoint.url = m->pool->url();
    endpoint.user = "status-test";
    endpoint.password = kPoolPassword;
    options.pool.pools.push_back(endpoint);
    auto engine = agent::Engine::create(options, agent::make_stratum_pool_link);
    if (!engine) return nullptr;
    m->engine = std::move(*engine);
    m->engine->start();
    agent::status::EngineStatusOptions status_options;
    status_options.worker_id = "status-test";
    status_options.sample_every = 1s;
    m->source = std::make_unique<agent::status::EngineStatusSource>(*m->engine, status_options);
    return m;
  }

  ~LiveMiner() {
    source.reset();
    if (engine) engine->stop();
    if (pool) pool->stop();
  }
};

// A blocking TCP socket to 127.0.0.1:port; -1 when the connection fails.
inline int connect_loopback(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return -1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

inline bool send_all(int fd, const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    const ssize_t n = ::send(fd, data.data() + sent, data.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

// Reads until the peer closes or `timeout` passes; `closed` says which.
inline std::string read_until_closed(int fd, std::chrono::milliseconds timeout, bool* closed) {
  std::string out;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  *closed = false;
  char buffer[4096];
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return out;
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) return out;
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) {
      *closed = true;
      return out;
    }
    out.append(buffer, static_cast<std::size_t>(n));
  }
}

}  // namespace ih::test
