// The cgminer-compatible TCP API (port 4028 style): one request per connection, the reply
// (cgminer_reply.hpp), then the connection is closed. Peers outside loopback and the allow
// list are closed at once. asio stays in cgminer_server.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ih/result.hpp"
#include "status/address_policy.hpp"
#include "status/status_snapshot.hpp"

namespace ih::agent::status {

struct CgminerServerOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 4028;  // 0: any free port
  std::vector<Cidr> allow;    // besides loopback
};

class CgminerServer {
 public:
  CgminerServer(CgminerServerOptions options, std::function<StatusSnapshot()> snapshot);
  ~CgminerServer();
  CgminerServer(const CgminerServer&) = delete;
  CgminerServer& operator=(const CgminerServer&) = delete;

  Result<std::uint16_t> start();  // binds and serves on its own thread
  void stop();
  std::uint16_t port() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::agent::status
