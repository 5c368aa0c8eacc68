// The built-in routes: /1/summary, /2/backends, /health, /metrics, the dashboard and its
// history, POST /json_rpc (pause/resume). Schemas: docs/status-api.md.
#pragma once

#include <vector>

#include "status/api_route.hpp"
#include "status/health.hpp"
#include "status/status_source.hpp"

namespace ih::agent::status {

// `source` and `health` must outlive the server the routes are added to.
std::vector<ApiRoute> standard_routes(StatusSource& source, const HealthPolicy& health);

// POST /json_rpc body -> reply (xmrig's methods "pause" and "resume").
ApiResponse handle_json_rpc(const ApiRequest& request, StatusSource& source);

}  // namespace ih::agent::status
