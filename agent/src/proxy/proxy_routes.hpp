// The proxy's status endpoint routes, on the same HTTP server `mine` uses: /health, /1/summary
// (proxy-wide totals), /2/workers (every downstream worker), /2/pools (the routing split against
// its targets), /metrics (Prometheus, per worker and per pool).
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "proxy/proxy_status.hpp"
#include "status/api_route.hpp"

namespace ih::proxy {

using StatusFn = std::function<ProxyStatus()>;

std::string workers_json(const ProxyStatus& s);
std::string pools_json(const ProxyStatus& s);
std::string summary_json(const ProxyStatus& s, const std::string& version);
std::string proxy_metrics_text(const ProxyStatus& s, const std::string& version);
// Healthy while at least one upstream pool is usable.
bool proxy_healthy(const ProxyStatus& s);

std::vector<agent::status::ApiRoute> proxy_routes(StatusFn status, std::string version);

}  // namespace ih::proxy
