// A downstream miner driven line by line from a test: a blocking loopback TCP client with
// bounded waits, for scripting exactly what a (possibly broken) ASIC sends the proxy.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>

namespace ih::test {

class LineClient {
 public:
  LineClient(const std::string& host, std::uint16_t port);
  ~LineClient();
  LineClient(const LineClient&) = delete;
  LineClient& operator=(const LineClient&) = delete;

  bool connected() const { return fd_ >= 0; }
  void send(const nlohmann::json& message);
  // The next message (notifications included); none on timeout or a closed connection.
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // Reads until `match` accepts a message (others are kept for later calls); none on timeout.
  std::optional<nlohmann::json> until(const std::function<bool(const nlohmann::json&)>& match,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  // The reply to request `id`.
  std::optional<nlohmann::json> reply(int id,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(5));
  bool closed_by_peer() const { return eof_; }

 private:
  bool fill(std::chrono::milliseconds timeout);
  int fd_ = -1;
  std::string buffer_;
  std::deque<nlohmann::json> kept_;
  bool eof_ = false;
};

}  // namespace ih::test
