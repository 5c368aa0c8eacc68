// `mine`'s status endpoints from its ApiConfig: the engine's status source, the HTTP server with
// the built-in routes, and the cgminer API when asked for. Features add their own routes with
// add_route() between create() and start() (e.g. GET /api/v1/workers, /2/workers).
#pragma once

#include <memory>
#include <string>

#include "config/api_config.hpp"
#include "engine/engine.hpp"
#include "ih/result.hpp"
#include "status/api_route.hpp"
#include "status/health.hpp"

namespace ih::agent::status {

class StatusEndpoints {
 public:
  static std::unique_ptr<StatusEndpoints> create(const ApiConfig& config, Engine& engine,
                                                 const std::string& worker_id);
  ~StatusEndpoints();

  void add_route(ApiRoute route);  // before start(); ignored when the HTTP API is off
  HealthPolicy& health();          // add watchdog reasons here
  // Binds and serves; logs the URLs. A busy default port only warns (mining goes on without the
  // API); a bind the user chose, a bad certificate, or the cgminer API failing is an error.
  Result<bool> start();
  void stop();
  std::string url() const;  // empty while the HTTP API is off or not started

  struct Impl;

 private:
  explicit StatusEndpoints(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::agent::status
