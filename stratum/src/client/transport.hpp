// One pool connection over standalone asio: DNS, TCP (IPv4/IPv6), optional TLS with
// certificate verification. Private to the client: asio stays out of public headers.
#pragma once

#include <asio.hpp>
#include <asio/ssl.hpp>
#include <chrono>
#include <deque>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "ih/stratum/client/pool_url.hpp"

namespace ih::stratum {

struct TlsSettings {
  std::string ca_file;    // extra trust anchors beside the system CAs
  bool insecure = false;  // no certificate verification at all
  // Lower-case hex SHA-256 of the leaf certificate (DER). When set, this pin is the trust: the
  // chain and the name are not checked (a self-signed pool certificate works), the exact
  // certificate is.
  std::string fingerprint;
};

class Transport : public std::enable_shared_from_this<Transport> {
 public:
  struct Handlers {
    std::function<void()> on_connected;
    std::function<void(std::string_view)> on_bytes;
    std::function<void(const std::string& reason)> on_closed;  // once; never after close()
  };

  Transport(asio::io_context& io, PoolUrl url, TlsSettings tls, Handlers handlers);

  void start(std::chrono::milliseconds connect_timeout);
  void write(std::string bytes);
  void close();  // quiet: no on_closed
  const PoolUrl& url() const { return url_; }

 private:
  void on_resolved(const asio::error_code& ec, const asio::ip::tcp::resolver::results_type& r);
  void on_tcp_connected(const asio::error_code& ec);
  void on_handshake(const asio::error_code& ec);
  void on_ready();
  void read_more();
  void write_next();
  void fail(const std::string& reason);
  void shutdown_socket();

  asio::io_context& io_;
  PoolUrl url_;
  TlsSettings tls_settings_;
  Handlers handlers_;
  asio::ip::tcp::resolver resolver_;
  asio::steady_timer connect_timer_;
  std::unique_ptr<asio::ssl::context> ssl_context_;
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket>> tls_;
  asio::ip::tcp::socket socket_;
  std::array<char, 16 * 1024> read_buffer_{};
  std::deque<std::string> write_queue_;
  bool ready_ = false;
  bool writing_ = false;  // one async_write at a time
  bool closed_ = false;
};

}  // namespace ih::stratum
