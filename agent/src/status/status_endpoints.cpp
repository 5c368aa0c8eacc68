#include "status/status_endpoints.hpp"

#include <spdlog/spdlog.h>

#include "config/pool_url.hpp"
#include "status/cgminer_server.hpp"
#include "status/engine_status_source.hpp"
#include "status/status_routes.hpp"
#include "status/status_server.hpp"

namespace ih::agent::status {

struct StatusEndpoints::Impl {
  ApiConfig config;
  EngineStatusSource source;
  HealthPolicy health;
  std::unique_ptr<StatusServer> http;
  std::unique_ptr<CgminerServer> cgminer;
  bool http_started = false;

  Impl(const ApiConfig& c, Engine& engine, const std::string& worker_id)
      : config(c), source(engine, EngineStatusOptions{worker_id}) {}
};

std::unique_ptr<StatusEndpoints> StatusEndpoints::create(const ApiConfig& config, Engine& engine,
                                                         const std::string& worker_id) {
  auto impl = std::make_unique<Impl>(config, engine, worker_id);
  if (config.bind != "off") {
    // validate_api_config() has checked the address already.
    const auto address = parse_bind_address(config.bind);
    StatusServerOptions o;
    o.host = address ? address->host : "127.0.0.1";
    o.port = address ? address->port : 4048;
    o.token = config.token;
    o.write = config.write;
    o.tls_cert_file = config.tls_cert;
    o.tls_key_file = config.tls_key;
    impl->http = std::make_unique<StatusServer>(o);
    for (auto& route : standard_routes(impl->source, impl->health))
      impl->http->add_route(std::move(route));
  }
  if (!config.cgminer_bind.empty()) {
    const auto address = parse_bind_address(config.cgminer_bind);
    CgminerServerOptions o;
    o.host = address ? address->host : "127.0.0.1";
    o.port = address ? address->port : 4028;
    for (const auto& cidr : config.cgminer_allow)
      if (auto parsed = parse_cidr(cidr)) o.allow.push_back(*parsed);
    impl->cgminer =
        std::make_unique<CgminerServer>(o, [source = &impl->source] { return source->snapshot(); });
  }
  return std::unique_ptr<StatusEndpoints>(new StatusEndpoints(std::move(impl)));
}

StatusEndpoints::StatusEndpoints(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

StatusEndpoints::~StatusEndpoints() {
  stop();
}

void StatusEndpoints::add_route(ApiRoute route) {
  if (impl_->http) impl_->http->add_route(std::move(route));
}

HealthPolicy& StatusEndpoints::health() {
  return impl_->health;
}

Result<bool> StatusEndpoints::start() {
  Impl& m = *impl_;
  if (m.http) {
    auto port = m.http->start();
    if (!port && m.config.bind_given) return port.error();
    if (!port) {
      spdlog::warn("{}; mining goes on without it (choose another with --api-bind)",
                   port.error().message);
      m.http.reset();
    } else {
      m.http_started = true;
      spdlog::info("status API: {} (dashboard), {}1/summary, {}metrics{}", m.http->url(),
                   m.http->url(), m.http->url(),
                   m.config.token.empty() ? "" : " (Bearer token required)");
    }
  } else {
    spdlog::info("status API: off");
  }
  if (m.cgminer) {
    auto port = m.cgminer->start();
    if (!port) return port.error();
    spdlog::info("cgminer API: tcp port {}", *port);
  }
  return true;
}

void StatusEndpoints::stop() {
  if (impl_->http) impl_->http->stop();
  if (impl_->cgminer) impl_->cgminer->stop();
}

std::string StatusEndpoints::url() const {
  return impl_->http_started ? impl_->http->url() : std::string();
}

}  // namespace ih::agent::status
