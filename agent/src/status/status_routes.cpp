#include "status/status_routes.hpp"

#include <nlohmann/json.hpp>

#include "status/dashboard_page.hpp"
#include "status/metrics_text.hpp"
#include "status/status_json.hpp"

namespace ih::agent::status {

namespace {

ApiResponse json_response(std::string body, int status = 200) {
  return {status, "application/json", std::move(body)};
}

nlohmann::json rpc_error(const nlohmann::json& id, int code, const char* message) {
  return {{"id", id}, {"jsonrpc", "2.0"}, {"error", {{"code", code}, {"message", message}}}};
}

}  // namespace

ApiResponse handle_json_rpc(const ApiRequest& request, StatusSource& source) {
  using nlohmann::json;
  const json doc = json::parse(request.body, nullptr, false);
  if (doc.is_discarded() || !doc.is_object())
    return json_response(rpc_error(nullptr, -32700, "Parse error").dump(), 400);
  const json id = doc.contains("id") ? doc["id"] : json(nullptr);
  if (!doc.contains("method") || !doc["method"].is_string())
    return json_response(rpc_error(id, -32600, "Invalid Request").dump(), 400);
  const std::string method = doc["method"].get<std::string>();
  if (method != "pause" && method != "resume")
    return json_response(rpc_error(id, -32601, "Method not found").dump(), 404);
  source.set_paused(method == "pause");
  return json_response(json{{"id", id}, {"jsonrpc", "2.0"}, {"result", "OK"}}.dump());
}

std::vector<ApiRoute> standard_routes(StatusSource& source, const HealthPolicy& health) {
  std::vector<ApiRoute> routes;
  StatusSource* src = &source;
  const HealthPolicy* policy = &health;
  routes.push_back({"GET", "/1/summary", [src](const ApiRequest&) {
                      return json_response(summary_json(src->snapshot(), src->instance_id()));
                    }});
  routes.push_back({"GET", "/2/backends", [src](const ApiRequest&) {
                      return json_response(backends_json(src->snapshot()));
                    }});
  routes.push_back(
      {"GET", "/metrics", [src](const ApiRequest&) {
         return ApiResponse{200, kPrometheusContentType, metrics_text(src->snapshot())};
       }});
  routes.push_back({"GET", "/dashboard/history", [src](const ApiRequest&) {
                      return json_response(history_json(src->history()));
                    }});
  ApiRoute health_route{"GET", "/health", [src, policy](const ApiRequest&) {
                          const auto problems = policy->evaluate(src->snapshot());
                          return json_response(health_json(problems), problems.empty() ? 200 : 503);
                        }};
  health_route.needs_auth = false;  // probes (Kubernetes, Docker) carry no token
  routes.push_back(std::move(health_route));
  // The page holds no data (it fetches the routes above with the token from its URL fragment),
  // so a browser can open it without sending a header.
  ApiRoute page{"GET", "/", [](const ApiRequest&) {
                  return ApiResponse{200, "text/html; charset=utf-8", dashboard_page()};
                }};
  page.needs_auth = false;
  routes.push_back(std::move(page));
  ApiRoute rpc{"POST", "/json_rpc",
               [src](const ApiRequest& request) { return handle_json_rpc(request, *src); }};
  rpc.writes = true;
  routes.push_back(std::move(rpc));
  return routes;
}

}  // namespace ih::agent::status
