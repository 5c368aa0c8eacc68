#include "transport.hpp"

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <array>

#include "ih/hex_encode.hpp"

namespace ih::stratum {

namespace {

bool is_ip_literal(const std::string& host) {
  asio::error_code ec;
  (void)asio::ip::make_address(host, ec);
  return !ec;
}

// Lower-case hex SHA-256 of the peer's leaf certificate (DER); empty when there is none.
std::string leaf_fingerprint(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return {};
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int size = 0;
  const bool ok = X509_digest(cert, EVP_sha256(), digest.data(), &size) == 1;
  X509_free(cert);
  if (!ok) return {};
  return ih::hex_encode(std::span<const std::uint8_t>(digest.data(), size));
}

}  // namespace

Transport::Transport(asio::io_context& io, PoolUrl url, TlsSettings tls, Handlers handlers)
    : io_(io),
      url_(std::move(url)),
      tls_settings_(std::move(tls)),
      handlers_(std::move(handlers)),
      resolver_(io),
      connect_timer_(io),
      socket_(io) {}

void Transport::start(std::chrono::milliseconds connect_timeout) {
  if (url_.tls) {
    ssl_context_ = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
    asio::error_code ec;
    ssl_context_->set_options(asio::ssl::context::default_workarounds |
                              asio::ssl::context::no_sslv2 | asio::ssl::context::no_sslv3 |
                              asio::ssl::context::no_tlsv1 | asio::ssl::context::no_tlsv1_1);
    if (tls_settings_.insecure || !tls_settings_.fingerprint.empty()) {
      // Insecure: nothing is checked. Pinned: on_handshake compares the leaf certificate.
      ssl_context_->set_verify_mode(asio::ssl::verify_none);
    } else {
      ssl_context_->set_verify_mode(asio::ssl::verify_peer);
      ssl_context_->set_default_verify_paths(ec);  // no system CAs is fine when --pool-ca is set
      if (!tls_settings_.ca_file.empty()) {
        ssl_context_->load_verify_file(tls_settings_.ca_file, ec);
        if (ec) {
          auto self = shared_from_this();
          asio::post(io_, [self, msg = ec.message()] {
            self->fail("cannot load CA file " + self->tls_settings_.ca_file + ": " + msg);
          });
          return;
        }
      }
    }
  }
  auto self = shared_from_this();
  connect_timer_.expires_after(connect_timeout);
  connect_timer_.async_wait([self](const asio::error_code& ec) {
    if (!ec && !self->ready_) self->fail("connect timed out");
  });
  resolver_.async_resolve(
      url_.host, std::to_string(url_.port),
      [self](const asio::error_code& ec, auto results) { self->on_resolved(ec, results); });
}

void Transport::on_resolved(const asio::error_code& ec,
                            const asio::ip::tcp::resolver::results_type& results) {
  if (closed_) return;
  if (ec) return fail("cannot resolve " + url_.host + ": " + ec.message());
  auto self = shared_from_this();
  asio::async_connect(socket_, results,
                      [self](const asio::error_code& e, const asio::ip::tcp::endpoint&) {
                        self->on_tcp_connected(e);
                      });
}

void Transport::on_tcp_connected(const asio::error_code& ec) {
  if (closed_) return;
  if (ec) return fail("cannot connect to " + url_.to_string() + ": " + ec.message());
  asio::error_code ignored;
  socket_.set_option(asio::ip::tcp::no_delay(true), ignored);
  if (!url_.tls) return on_ready();

  tls_ =
      std::make_unique<asio::ssl::stream<asio::ip::tcp::socket>>(std::move(socket_), *ssl_context_);
  SSL* ssl = tls_->native_handle();
  if (!tls_settings_.insecure && tls_settings_.fingerprint.empty()) {
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    const int ok = is_ip_literal(url_.host)
                       ? X509_VERIFY_PARAM_set1_ip_asc(param, url_.host.c_str())
                       : SSL_set1_host(ssl, url_.host.c_str());
    if (ok != 1) return fail("cannot set the TLS peer name " + url_.host);
  }
  if (!is_ip_literal(url_.host)) SSL_set_tlsext_host_name(ssl, url_.host.c_str());
  auto self = shared_from_this();
  tls_->async_handshake(asio::ssl::stream_base::client,
                        [self](const asio::error_code& e) { self->on_handshake(e); });
}

void Transport::on_handshake(const asio::error_code& ec) {
  if (closed_) return;
  SSL* ssl = tls_->native_handle();
  if (ec) {
    std::string why = ec.message();
    if (const long result = SSL_get_verify_result(ssl); result != X509_V_OK)
      why += std::string(" (") + X509_verify_cert_error_string(result) + ")";
    return fail("TLS handshake with " + url_.to_string() + " failed: " + why);
  }
  if (!tls_settings_.fingerprint.empty()) {
    const std::string seen = leaf_fingerprint(ssl);
    if (seen != tls_settings_.fingerprint)
      return fail("TLS certificate pin mismatch for " + url_.to_string() +
                  ": the pool's certificate has SHA-256 " + (seen.empty() ? "(none)" : seen) +
                  ", the pin is " + tls_settings_.fingerprint);
  }
  on_ready();
}

void Transport::on_ready() {
  ready_ = true;
  connect_timer_.cancel();
  if (handlers_.on_connected) handlers_.on_connected();
  if (closed_) return;
  read_more();
  write_next();
}

void Transport::read_more() {
  auto self = shared_from_this();
  auto on_read = [self](const asio::error_code& ec, std::size_t n) {
    if (self->closed_) return;
    if (ec) {
      return self->fail(ec == asio::error::eof ? std::string("the pool closed the connection")
                                               : "read failed: " + ec.message());
    }
    if (self->handlers_.on_bytes)
      self->handlers_.on_bytes(std::string_view(self->read_buffer_.data(), n));
    if (!self->closed_) self->read_more();
  };
  if (tls_)
    tls_->async_read_some(asio::buffer(read_buffer_), on_read);
  else
    socket_.async_read_some(asio::buffer(read_buffer_), on_read);
}

void Transport::write(std::string bytes) {
  if (closed_) return;
  write_queue_.push_back(std::move(bytes));
  if (ready_ && !writing_) write_next();
}

void Transport::write_next() {
  if (closed_ || writing_ || write_queue_.empty()) return;
  writing_ = true;
  auto self = shared_from_this();
  auto on_written = [self](const asio::error_code& ec, std::size_t) {
    if (self->closed_) return;
    self->writing_ = false;
    if (ec) return self->fail("write failed: " + ec.message());
    self->write_queue_.pop_front();
    self->write_next();
  };
  if (tls_)
    asio::async_write(*tls_, asio::buffer(write_queue_.front()), on_written);
  else
    asio::async_write(socket_, asio::buffer(write_queue_.front()), on_written);
}

void Transport::fail(const std::string& reason) {
  if (closed_) return;
  shutdown_socket();
  if (handlers_.on_closed) handlers_.on_closed(reason);
}

void Transport::close() {
  if (closed_) return;
  shutdown_socket();
}

void Transport::shutdown_socket() {
  closed_ = true;
  asio::error_code ignored;
  connect_timer_.cancel();
  resolver_.cancel();
  if (tls_)
    tls_->lowest_layer().close(ignored);
  else
    socket_.close(ignored);
}

}  // namespace ih::stratum
