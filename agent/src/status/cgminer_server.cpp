#include "status/cgminer_server.hpp"

#include <spdlog/spdlog.h>

#include <asio.hpp>
#include <chrono>
#include <thread>

#include "ih/log_escape.hpp"
#include "status/cgminer_reply.hpp"

namespace ih::agent::status {

namespace {

using asio::ip::tcp;
constexpr std::size_t kMaxRequest = 8192;
// cgminer clients send one request and wait; a request ends with NUL / newline, the peer's
// shutdown, or this much quiet.
constexpr auto kQuiet = std::chrono::milliseconds(100);
constexpr auto kDeadline = std::chrono::seconds(3);

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(tcp::socket socket, const std::function<StatusSnapshot()>& snapshot)
      : socket_(std::move(socket)),
        quiet_(socket_.get_executor()),
        deadline_(socket_.get_executor()),
        snapshot_(snapshot) {}

  void start() {
    deadline_.expires_after(kDeadline);
    deadline_.async_wait([self = shared_from_this()](std::error_code ec) {
      if (!ec) self->close();
    });
    read();
  }

 private:
  void read() {
    socket_.async_read_some(
        asio::buffer(chunk_), [self = shared_from_this()](std::error_code ec, std::size_t n) {
          if (self->done_) return;
          self->request_.append(self->chunk_.data(), n);
          const bool ended =
              self->request_.find_first_of(std::string_view("\0\n", 2)) != std::string::npos;
          if (ec || ended || self->request_.size() >= kMaxRequest) {
            if (self->request_.empty()) return self->close();
            return self->respond();
          }
          self->quiet_.expires_after(kQuiet);
          self->quiet_.async_wait([self](std::error_code wait_ec) {
            if (!wait_ec && !self->done_) self->respond();
          });
          self->read();
        });
  }

  void respond() {
    done_ = true;
    quiet_.cancel();
    reply_ = cgminer_reply(request_.substr(0, kMaxRequest), snapshot_());
    spdlog::debug("cgminer API: {}", escape_for_log(request_));
    asio::async_write(socket_, asio::buffer(reply_),
                      [self = shared_from_this()](std::error_code, std::size_t) { self->close(); });
  }

  void close() {
    done_ = true;
    std::error_code ignored;
    quiet_.cancel();
    deadline_.cancel();
    socket_.shutdown(tcp::socket::shutdown_both, ignored);
    socket_.close(ignored);
  }

  tcp::socket socket_;
  asio::steady_timer quiet_, deadline_;
  const std::function<StatusSnapshot()>& snapshot_;
  std::array<char, 1024> chunk_{};
  std::string request_, reply_;
  bool done_ = false;
};

}  // namespace

struct CgminerServer::Impl {
  CgminerServerOptions options;
  std::function<StatusSnapshot()> snapshot;
  asio::io_context io;
  tcp::acceptor acceptor{io};
  std::thread thread;
  std::uint16_t port = 0;

  void accept() {
    acceptor.async_accept([this](std::error_code ec, tcp::socket socket) {
      if (ec) {
        if (ec != asio::error::operation_aborted) accept();
        return;
      }
      std::error_code peer_ec;
      const auto peer = socket.remote_endpoint(peer_ec);
      const std::string address = peer_ec ? "" : peer.address().to_string();
      if (peer_ec || !(peer.address().is_loopback() || address_allowed(address, options.allow))) {
        spdlog::warn("cgminer API: connection from {} refused (not in --cgminer-api-allow)",
                     escape_for_log(address));
        socket.close(peer_ec);
      } else {
        std::make_shared<Connection>(std::move(socket), snapshot)->start();
      }
      accept();
    });
  }
};

CgminerServer::CgminerServer(CgminerServerOptions options, std::function<StatusSnapshot()> snapshot)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
  impl_->snapshot = std::move(snapshot);
}

CgminerServer::~CgminerServer() {
  stop();
}

Result<std::uint16_t> CgminerServer::start() {
  Impl& m = *impl_;
  std::error_code ec;
  const auto address = asio::ip::make_address(m.options.host, ec);
  if (ec) return make_error("cgminer API: '" + m.options.host + "' is not an IP address");
  const tcp::endpoint endpoint(address, m.options.port);
  m.acceptor.open(endpoint.protocol(), ec);
  if (!ec) m.acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) m.acceptor.bind(endpoint, ec);
  if (!ec) m.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error("cgminer API: cannot listen on " + m.options.host + ":" +
                      std::to_string(m.options.port) + ": " + ec.message());
  m.port = m.acceptor.local_endpoint().port();
  m.accept();
  m.thread = std::thread([&m] { m.io.run(); });
  return m.port;
}

void CgminerServer::stop() {
  if (!impl_->thread.joinable()) return;
  asio::post(impl_->io, [m = impl_.get()] {
    std::error_code ignored;
    m->acceptor.close(ignored);
  });
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t CgminerServer::port() const {
  return impl_->port;
}

}  // namespace ih::agent::status
