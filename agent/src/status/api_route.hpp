// One HTTP route of the status endpoint, without HTTP library types: features (proofs, proxy,
// collector) add routes to the status server through these, and test their handlers directly.
#pragma once

#include <functional>
#include <map>
#include <string>

namespace ih::agent::status {

struct ApiRequest {
  std::string method;  // "GET", "POST"
  std::string path;
  std::multimap<std::string, std::string> params;  // decoded query parameters
  std::string body;
};

struct ApiResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

using ApiHandler = std::function<ApiResponse(const ApiRequest&)>;

struct ApiRoute {
  std::string method;  // "GET" or "POST"
  std::string path;    // exact path, e.g. "/api/v1/workers"
  ApiHandler handler;
  bool needs_auth = true;  // false only for /health
  bool writes = false;     // a control route: only with --api-write and a token
};

}  // namespace ih::agent::status
