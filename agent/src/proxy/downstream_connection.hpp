// One miner's connection to the proxy: the socket, line framing with a length cap, a bounded
// write queue, and the miner's state the proxy keeps (session, pool, prefix, estimate, counts).
// Private to agent/src/proxy (it includes asio); only proxy_service.cpp uses it.
#pragma once

#include <asio.hpp>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ih/stratum/server/server_session.hpp"
#include "proxy/hashrate_estimate.hpp"

namespace ih::proxy {

struct DownstreamConnection : std::enable_shared_from_this<DownstreamConnection> {
  using LineHandler = std::function<void(DownstreamConnection&, std::string_view)>;
  DownstreamConnection(asio::ip::tcp::socket s, std::uint64_t number, LineHandler handler)
      : on_line(std::move(handler)),
        socket(std::move(s)),
        id(number),
        connected_at(std::chrono::steady_clock::now()) {
    asio::error_code ec;
    const auto ep = socket.remote_endpoint(ec);
    if (!ec) {
      remote_ip = ep.address().to_string();
      remote = remote_ip + ":" + std::to_string(ep.port());
    }
  }

  LineHandler on_line;  // every complete line, on the I/O thread
  asio::ip::tcp::socket socket;
  std::uint64_t id;
  std::string remote, remote_ip;
  std::chrono::steady_clock::time_point connected_at;
  std::unique_ptr<stratum::server::ServerSession> session;
  std::size_t pool = 0;
  std::uint64_t prefix = 0;
  std::string name, upstream_name;
  HashrateEstimator estimate{std::chrono::steady_clock::now()};
  std::chrono::steady_clock::time_point moved_at{};
  std::uint64_t moves = 0;
  std::uint64_t valid = 0, invalid = 0, forwarded = 0, up_accepted = 0, up_rejected = 0;
  double accepted_difficulty = 0;
  std::string buffer;
  std::deque<std::string> queue;
  std::size_t queued_bytes = 0;
  bool open = true;
  bool leaving = false;  // sent client.reconnect: closes soon

  // Queued in order; a miner that reads nothing (1 MiB waiting) is dropped.
  void send(const std::vector<std::string>& lines);
  void close();
  void read();  // starts (and keeps) reading lines

 private:
  void write();
};

}  // namespace ih::proxy
