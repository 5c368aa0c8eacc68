#include "status/status_server.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>

#include <map>
#include <thread>
#include <utility>

#include "ih/log_escape.hpp"
#include "status/bounded_thread_pool.hpp"
#include "status/status_json.hpp"

namespace ih::agent::status {

namespace {

void reply(httplib::Response& res, const ApiResponse& r) {
  res.status = r.status;
  res.set_content(r.body, r.content_type.c_str());
}

void refuse(httplib::Response& res, int status, const std::string& message) {
  res.status = status;
  res.set_content(error_json(status, message), "application/json");
}

ApiRequest to_api_request(const httplib::Request& req) {
  ApiRequest r;
  r.method = req.method;
  r.path = req.path;
  for (const auto& [key, value] : req.params) r.params.emplace(key, value);
  r.body = req.body;
  return r;
}

}  // namespace

bool token_matches(const std::string& given, const std::string& expected) {
  unsigned char a[SHA256_DIGEST_LENGTH], b[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(given.data()), given.size(), a);
  SHA256(reinterpret_cast<const unsigned char*>(expected.data()), expected.size(), b);
  return CRYPTO_memcmp(a, b, sizeof a) == 0;
}

struct StatusServer::Impl {
  StatusServerOptions options;
  std::map<std::pair<std::string, std::string>, ApiRoute> routes;  // (method, path)
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::uint16_t port = 0;
  int listen_fd = -1;

  // The access rules of status_server.hpp; true when the request may go on.
  bool admit(const ApiRoute& route, const httplib::Request& req, httplib::Response& res) const {
    if (route.needs_auth && !options.token.empty()) {
      const std::string header = req.get_header_value("Authorization");
      constexpr std::string_view kBearer = "Bearer ";
      if (header.empty()) {
        res.set_header("WWW-Authenticate", "Bearer");
        refuse(res, 401, "this route needs Authorization: Bearer <token>");
        return false;
      }
      const bool bearer = header.compare(0, kBearer.size(), kBearer) == 0;
      if (!bearer || !token_matches(header.substr(kBearer.size()), options.token)) {
        spdlog::warn("status API: wrong token from {} for {}", escape_for_log(req.remote_addr),
                     escape_for_log(req.path));
        refuse(res, 403, "wrong token");
        return false;
      }
    }
    if (route.writes && (!options.write || options.token.empty())) {
      refuse(res, 403, "control routes are off (start with --api-write and --api-token)");
      return false;
    }
    return true;
  }

  void dispatch(const httplib::Request& req, httplib::Response& res) const {
    const auto it = routes.find({req.method, req.path});
    if (it == routes.end()) {
      bool other_method = false;
      for (const auto& [key, route] : routes) other_method |= key.second == req.path;
      refuse(res, other_method ? 405 : 404, other_method ? "method not allowed" : "no such route");
      return;
    }
    if (!admit(it->second, req, res)) return;
    reply(res, it->second.handler(to_api_request(req)));
  }
};

StatusServer::StatusServer(StatusServerOptions options) : impl_(std::make_unique<Impl>()) {
  impl_->options = std::move(options);
}

StatusServer::~StatusServer() {
  stop();
}

void StatusServer::add_route(ApiRoute route) {
  auto key = std::make_pair(route.method, route.path);
  impl_->routes.insert_or_assign(std::move(key), std::move(route));
}

Result<std::uint16_t> StatusServer::start() {
  Impl& m = *impl_;
  const StatusServerOptions& o = m.options;
  const bool tls = !o.tls_cert_file.empty();
  if (tls) {
    auto ssl =
        std::make_unique<httplib::SSLServer>(o.tls_cert_file.c_str(), o.tls_key_file.c_str());
    if (!ssl->is_valid())
      return make_error("status API: cannot load the TLS certificate '" + o.tls_cert_file +
                        "' and key '" + o.tls_key_file + "'");
    m.server = std::move(ssl);
  } else {
    m.server = std::make_unique<httplib::Server>();
  }
  httplib::Server& s = *m.server;
  const unsigned threads = std::max(1u, o.threads);
  const std::size_t queued = std::max<std::size_t>(1, o.max_queued);
  s.new_task_queue = [threads, queued] { return new BoundedThreadPool(threads, queued); };
  s.set_payload_max_length(o.max_body);
  s.set_read_timeout(o.read_timeout);
  s.set_write_timeout(o.write_timeout);
  s.set_keep_alive_timeout(o.keep_alive_timeout.count());
  s.set_keep_alive_max_count(o.keep_alive_max);
  s.set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        spdlog::error("status API: a handler failed on {}", escape_for_log(req.path));
        refuse(res, 500, "internal error");
      });
  // Errors httplib answers itself (400 garbage, 413 body, 414 URI) get a JSON body too.
  s.set_error_handler([](const httplib::Request&, httplib::Response& res) {
    if (res.body.empty())
      res.set_content(error_json(res.status, "request refused"), "application/json");
  });
  s.set_logger([](const httplib::Request& req, const httplib::Response& res) {
    spdlog::debug("status API: {} {} {} from {}", escape_for_log(req.method),
                  escape_for_log(req.path), res.status, escape_for_log(req.remote_addr));
  });
  // SO_REUSEADDR only: httplib's default adds SO_REUSEPORT, which would let a second agent bind
  // the same port and share its connections instead of failing.
  s.set_socket_options([&m](int sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    m.listen_fd = sock;
  });
  auto handler = [this](const httplib::Request& req, httplib::Response& res) {
    impl_->dispatch(req, res);
  };
  s.Get(".*", handler);
  s.Post(".*", handler);
  if (o.port == 0) {
    const int bound = s.bind_to_any_port(o.host);
    if (bound <= 0) return make_error("status API: cannot bind " + o.host + ":0");
    m.port = static_cast<std::uint16_t>(bound);
  } else {
    if (!s.bind_to_port(o.host, o.port))
      return make_error("status API: cannot bind " + o.host + ":" + std::to_string(o.port) +
                        " (in use, or not an address of this machine)");
    m.port = o.port;
  }
  // httplib listens with a backlog of 5; a burst of connections would wait for SYN retries.
  if (m.listen_fd >= 0) ::listen(m.listen_fd, SOMAXCONN);
  m.thread = std::thread([&s] { s.listen_after_bind(); });
  return m.port;
}

void StatusServer::stop() {
  if (!impl_->server) return;
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->server.reset();
}

std::uint16_t StatusServer::port() const {
  return impl_->port;
}

std::string StatusServer::url() const {
  const auto& o = impl_->options;
  const std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  return std::string(o.tls_cert_file.empty() ? "http" : "https") + "://" + host + ":" +
         std::to_string(impl_->port) + "/";
}

}  // namespace ih::agent::status
