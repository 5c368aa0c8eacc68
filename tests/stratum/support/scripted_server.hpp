// A scripted Stratum pool for tests: loopback only, one client at a time, every step bounded
// in time. Tests drive it line by line: expect a request, reply, send garbage, delay, drop.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

namespace ih::test {

using namespace std::chrono_literals;

struct TlsIdentity {
  std::string cert_pem;
  std::string key_pem;
};

// A throw-away CA and a server certificate (by default for localhost, 127.0.0.1 and ::1), made
// in memory. `server_names`: the certificate's subjectAltName.
struct TestPki {
  std::string ca_cert_pem;
  TlsIdentity server;
  std::string server_sha256;  // lower-case hex SHA-256 of the server certificate (DER): its pin
  static TestPki generate(const std::string& ca_name = "ih test CA",
                          const std::string& server_names = "DNS:localhost,IP:127.0.0.1,IP:::1");
};

// Writes text to a fresh file under the temp dir and returns its path.
std::string write_temp_file(const std::string& name, const std::string& text);

class ScriptedServer {
 public:
  struct Options {
    bool ipv6 = false;
    std::optional<TlsIdentity> tls;
  };
  ScriptedServer();
  explicit ScriptedServer(Options options);
  ~ScriptedServer();
  ScriptedServer(const ScriptedServer&) = delete;
  ScriptedServer& operator=(const ScriptedServer&) = delete;

  std::uint16_t port() const { return port_; }
  std::string url() const;  // stratum+tcp:// or stratum+ssl:// on the loopback address

  // Waits for the next client (dropping the current one). False on timeout or a failed TLS
  // handshake (last_error() says why).
  bool accept(std::chrono::milliseconds timeout = 3s);
  std::optional<std::string> read_line(std::chrono::milliseconds timeout = 3s);
  // The next line as JSON; fails the test unless it is a request for `method`.
  nlohmann::json expect(std::string_view method, std::chrono::milliseconds timeout = 3s);
  void send_raw(std::string_view bytes);
  void send_line(std::string_view line) { send_raw(std::string(line) + "\n"); }
  void send_json(const nlohmann::json& message) { send_line(message.dump()); }
  void reply(const nlohmann::json& id, const nlohmann::json& result);
  void reply_error(const nlohmann::json& id, const nlohmann::json& error);
  void notify(std::string_view method, const nlohmann::json& params);
  // Answers configure (rolling with `mask`), subscribe and authorize the way ckpool does.
  void handshake(std::string extranonce1 = "9d210c6b", int extranonce2_size = 8,
                 std::string mask = "1fffe000");
  void drop();  // closes the client connection
  // True once the client closed its side (data it sends meanwhile is discarded).
  bool wait_closed(std::chrono::milliseconds timeout = 3s);
  bool connected() const { return client_fd_ >= 0; }
  const std::string& last_error() const { return last_error_; }

 private:
  bool readable(std::chrono::milliseconds timeout);
  long read_some(char* buffer, std::size_t size);

  Options options_;
  int listen_fd_ = -1;
  int client_fd_ = -1;
  std::uint16_t port_ = 0;
  SSL_CTX* ssl_ctx_ = nullptr;
  SSL* ssl_ = nullptr;
  std::string buffer_;
  std::string last_error_;
};

}  // namespace ih::test
