// The one HTTP(S) server of the status endpoint (cpp-httplib stays in status_server.cpp). Routes
// come in as ApiRoute (api_route.hpp): the built-in ones (status_routes.hpp) and whatever other
// features add before start(). The server applies the access rules to every route:
//   token set:  every route but the public ones needs "Authorization: Bearer TOKEN"
//               (401 without it, 403 with a wrong one; compared in constant time);
//   writes:     only with write enabled and a token, else 403.
// Limits: 64 KiB bodies, read/write timeouts, a bounded pool of worker threads with a bounded
// queue, short keep-alive: a slow or hostile client ties up at most one worker, never mining.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "ih/result.hpp"
#include "status/api_route.hpp"

namespace ih::agent::status {

struct StatusServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4048;  // 0: any free port (see port())
  std::string token;          // empty: no authentication (loopback only, checked by config)
  bool write = false;         // control routes allowed (needs a token as well)
  std::string tls_cert_file;  // both set: HTTPS
  std::string tls_key_file;
  unsigned threads = 4;                  // worker threads
  std::size_t max_queued = 256;          // accepted connections waiting for a worker
  std::size_t max_body = 64 * 1024;      // bytes
  std::chrono::seconds read_timeout{5};  // per read while a request arrives
  std::chrono::seconds write_timeout{5};
  std::chrono::seconds keep_alive_timeout{2};
  std::size_t keep_alive_max = 20;  // requests per connection
};

class StatusServer {
 public:
  explicit StatusServer(StatusServerOptions options);
  ~StatusServer();
  StatusServer(const StatusServer&) = delete;
  StatusServer& operator=(const StatusServer&) = delete;

  // Before start(). A second route with the same method and path replaces the first.
  void add_route(ApiRoute route);
  // Binds and serves on its own thread; errors (port in use, bad certificate) come back here.
  Result<std::uint16_t> start();
  void stop();
  std::uint16_t port() const;
  std::string url() const;  // "http://127.0.0.1:4048/"

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Constant-time comparison (CRYPTO_memcmp over SHA-256 digests, so lengths do not leak either).
bool token_matches(const std::string& given, const std::string& expected);

}  // namespace ih::agent::status
