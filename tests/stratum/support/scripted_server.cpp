#include "scripted_server.hpp"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>

#include <cstring>
#include <filesystem>
#include <fstream>

namespace ih::test {

namespace {

std::string ssl_errors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    out += std::string(out.empty() ? "" : "; ") + buf;
  }
  return out.empty() ? "unknown TLS error" : out;
}

}  // namespace

std::string write_temp_file(const std::string& name, const std::string& text) {
  const auto dir =
      std::filesystem::temp_directory_path() / ("ih-stratum-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / name;
  std::ofstream(path, std::ios::binary) << text;
  return path.string();
}

ScriptedServer::ScriptedServer() : ScriptedServer(Options{}) {}

ScriptedServer::ScriptedServer(Options options) : options_(std::move(options)) {
  // A client that hangs up mid-write (a failed TLS pin check) must fail the write, not kill the
  // test process with SIGPIPE.
  ::signal(SIGPIPE, SIG_IGN);
  const int family = options_.ipv6 ? AF_INET6 : AF_INET;
  listen_fd_ = ::socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  EXPECT_GE(listen_fd_, 0) << "socket: " << std::strerror(errno);
  const int one = 1;
  ::setsockopt(listen_fd_, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  sockaddr_storage addr{};
  socklen_t len = 0;
  if (options_.ipv6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&addr);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof *a;
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&addr);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof *a;
  }
  EXPECT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), len), 0)
      << "bind: " << std::strerror(errno);
  EXPECT_EQ(::listen(listen_fd_, 8), 0);
  ::getsockname(listen_fd_, reinterpret_cast<sockaddr*>(&addr), &len);
  port_ = ntohs(options_.ipv6 ? reinterpret_cast<sockaddr_in6*>(&addr)->sin6_port
                              : reinterpret_cast<sockaddr_in*>(&addr)->sin_port);
  if (options_.tls) {
    ssl_ctx_ = SSL_CTX_new(TLS_server_method());
    BIO* cert_bio = BIO_new_mem_buf(options_.tls->cert_pem.data(),
                                    static_cast<int>(options_.tls->cert_pem.size()));
    X509* cert = PEM_read_bio_X509(cert_bio, nullptr, nullptr, nullptr);
    BIO* key_bio = BIO_new_mem_buf(options_.tls->key_pem.data(),
                                   static_cast<int>(options_.tls->key_pem.size()));
    EVP_PKEY* key = PEM_read_bio_PrivateKey(key_bio, nullptr, nullptr, nullptr);
    EXPECT_EQ(SSL_CTX_use_certificate(ssl_ctx_, cert), 1) << ssl_errors();
    EXPECT_EQ(SSL_CTX_use_PrivateKey(ssl_ctx_, key), 1) << ssl_errors();
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(cert_bio);
    BIO_free(key_bio);
  }
}

ScriptedServer::~ScriptedServer() {
  drop();
  if (listen_fd_ >= 0) ::close(listen_fd_);
  if (ssl_ctx_) SSL_CTX_free(ssl_ctx_);
}

std::string ScriptedServer::url() const {
  const std::string host = options_.ipv6 ? "[::1]" : "127.0.0.1";
  return std::string(options_.tls ? "stratum+ssl://" : "stratum+tcp://") + host + ":" +
         std::to_string(port_);
}

bool ScriptedServer::accept(std::chrono::milliseconds timeout) {
  drop();
  pollfd p{listen_fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) != 1) {
    last_error_ = "no client connected in time";
    return false;
  }
  client_fd_ = ::accept4(listen_fd_, nullptr, nullptr, SOCK_CLOEXEC);
  if (client_fd_ < 0) {
    last_error_ = std::strerror(errno);
    return false;
  }
  // Every blocking call on this socket is bounded.
  timeval tv{3, 0};
  ::setsockopt(client_fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(client_fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  if (ssl_ctx_) {
    ssl_ = SSL_new(ssl_ctx_);
    SSL_set_fd(ssl_, client_fd_);
    if (SSL_accept(ssl_) != 1) {
      last_error_ = "TLS handshake failed: " + ssl_errors();
      drop();
      return false;
    }
  }
  return true;
}

bool ScriptedServer::readable(std::chrono::milliseconds timeout) {
  if (ssl_ && SSL_pending(ssl_) > 0) return true;
  pollfd p{client_fd_, POLLIN, 0};
  return ::poll(&p, 1, static_cast<int>(timeout.count())) == 1;
}

long ScriptedServer::read_some(char* buffer, std::size_t size) {
  if (ssl_) return SSL_read(ssl_, buffer, static_cast<int>(size));
  return ::recv(client_fd_, buffer, size, 0);
}

std::optional<std::string> ScriptedServer::read_line(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    const auto newline = buffer_.find('\n');
    if (newline != std::string::npos) {
      std::string line = buffer_.substr(0, newline);
      buffer_.erase(0, newline + 1);
      return line;
    }
    if (client_fd_ < 0) return std::nullopt;
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !readable(left)) return std::nullopt;
    char chunk[4096];
    const long n = read_some(chunk, sizeof chunk);
    if (n <= 0) return std::nullopt;
    buffer_.append(chunk, static_cast<std::size_t>(n));
  }
}

nlohmann::json ScriptedServer::expect(std::string_view method, std::chrono::milliseconds timeout) {
  auto line = read_line(timeout);
  if (!line) {
    ADD_FAILURE() << "expected " << method << " but nothing came";
    return nullptr;
  }
  auto j = nlohmann::json::parse(*line, nullptr, false);
  if (j.is_discarded() || !j.is_object() || j.value("method", "") != method) {
    ADD_FAILURE() << "expected " << method << " but got: " << *line;
    return nullptr;
  }
  return j;
}

void ScriptedServer::send_raw(std::string_view bytes) {
  if (client_fd_ < 0) return;
  std::size_t sent = 0;
  while (sent < bytes.size()) {
    const long n = ssl_
                       ? SSL_write(ssl_, bytes.data() + sent, static_cast<int>(bytes.size() - sent))
                       : ::send(client_fd_, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

void ScriptedServer::reply(const nlohmann::json& id, const nlohmann::json& result) {
  send_json({{"id", id}, {"result", result}, {"error", nullptr}});
}

void ScriptedServer::reply_error(const nlohmann::json& id, const nlohmann::json& error) {
  send_json({{"id", id}, {"result", nullptr}, {"error", error}});
}

void ScriptedServer::notify(std::string_view method, const nlohmann::json& params) {
  send_json({{"id", nullptr}, {"method", method}, {"params", params}});
}

void ScriptedServer::handshake(std::string extranonce1, int extranonce2_size, std::string mask) {
  auto configure = expect("mining.configure");
  if (configure.is_null()) return;
  reply(configure["id"], {{"version-rolling", true}, {"version-rolling.mask", mask}});
  auto subscribe = expect("mining.subscribe");
  if (subscribe.is_null()) return;
  reply(subscribe["id"], nlohmann::json::array({nullptr, extranonce1, extranonce2_size}));
  auto line = read_line();
  auto next = line ? nlohmann::json::parse(*line, nullptr, false) : nlohmann::json();
  if (next.is_object() && next.value("method", "") == "mining.suggest_difficulty")
    next = expect("mining.authorize");  // a suggestion comes first when the client has one
  else
    EXPECT_EQ(next.is_object() ? next.value("method", "") : "", "mining.authorize")
        << "expected mining.authorize, got " << line.value_or("(nothing)");
  if (!next.is_object() || next.value("method", "") != "mining.authorize") return;
  reply(next["id"], true);
}

void ScriptedServer::drop() {
  if (ssl_) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (client_fd_ >= 0) {
    ::close(client_fd_);
    client_fd_ = -1;
  }
  buffer_.clear();
}

bool ScriptedServer::wait_closed(std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (client_fd_ >= 0) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0 || !readable(left)) return false;
    char chunk[4096];
    if (read_some(chunk, sizeof chunk) <= 0) {
      drop();
      return true;
    }
  }
  return true;
}

}  // namespace ih::test
