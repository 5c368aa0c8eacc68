// A scripted Stratum server for the simulated-miner tests: it sends what the local pool never
// does. Header-only, test support.
#pragma once

#include <asio.hpp>
#include <cstddef>
#include <deque>
#include <functional>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

namespace ih::test {

// Accepts connections on loopback, hands every request to `reply` (on its own thread) and
// writes what it returns; tests can also push lines to a connection and close it.
class ScriptedPool {
 public:
  using json = nlohmann::json;
  using Reply = std::function<std::vector<std::string>(std::size_t connection, const json&)>;

  explicit ScriptedPool(Reply reply)
      : reply_(std::move(reply)), acceptor_(io_, {asio::ip::address_v4::loopback(), 0}) {
    accept();
    thread_ = std::thread([this] { io_.run(); });
  }
  ~ScriptedPool() {
    asio::post(io_, [this] {
      acceptor_.close();
      for (auto& c : connections_) c.socket.close();
      io_.stop();
    });
    thread_.join();
  }

  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  std::size_t connections() const {
    std::lock_guard lock(mutex_);
    return received_.size();
  }
  // The requests read on a connection so far.
  std::vector<json> received(std::size_t connection) const {
    std::lock_guard lock(mutex_);
    return connection < received_.size() ? received_[connection] : std::vector<json>{};
  }
  std::vector<json> submits(std::size_t connection) const {
    std::vector<json> out;
    for (auto& r : received(connection))
      if (r.value("method", "") == "mining.submit") out.push_back(r);
    return out;
  }
  void send(std::size_t connection, std::string bytes) {
    asio::post(io_, [this, connection, bytes = std::move(bytes)] {
      write(*std::next(connections_.begin(), static_cast<long>(connection)), bytes);
    });
  }
  void close(std::size_t connection) {
    asio::post(io_, [this, connection] {
      std::next(connections_.begin(), static_cast<long>(connection))->socket.close();
    });
  }

 private:
  struct Connection {
    std::size_t index;
    asio::ip::tcp::socket socket;
    std::string partial;
    std::array<char, 4096> buffer{};
    std::deque<std::string> out;
  };

  void accept() {
    acceptor_.async_accept([this](asio::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;
      {
        std::lock_guard lock(mutex_);
        received_.emplace_back();
      }
      connections_.push_back({connections_.size(), std::move(socket), {}, {}, {}});
      read(connections_.back());
      accept();
    });
  }

  void read(Connection& c) {
    c.socket.async_read_some(
        asio::buffer(c.buffer), [this, &c](asio::error_code ec, std::size_t n) {
          if (ec) return;
          c.partial.append(c.buffer.data(), n);
          for (std::size_t eol; (eol = c.partial.find('\n')) != std::string::npos;) {
            json request = json::parse(c.partial.substr(0, eol), nullptr, false);
            c.partial.erase(0, eol + 1);
            {
              std::lock_guard lock(mutex_);
              received_[c.index].push_back(request);
            }
            for (auto& line : reply_(c.index, request)) write(c, line + "\n");
          }
          read(c);
        });
  }

  void write(Connection& c, const std::string& bytes) {
    c.out.push_back(bytes);
    if (c.out.size() == 1) write_front(c);
  }
  void write_front(Connection& c) {
    asio::async_write(c.socket, asio::buffer(c.out.front()),
                      [this, &c](asio::error_code ec, std::size_t) {
                        if (ec) return;
                        c.out.pop_front();
                        if (!c.out.empty()) write_front(c);
                      });
  }

  Reply reply_;
  asio::io_context io_;
  asio::ip::tcp::acceptor acceptor_;
  std::list<Connection> connections_;  // io thread only
  mutable std::mutex mutex_;
  std::vector<std::vector<json>> received_;
  std::thread thread_;
};

}  // namespace ih::test
