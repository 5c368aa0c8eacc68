#include "collect/collect_routes.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ih/hex_encode.hpp"
#include "proof/estimator.hpp"
#include "proof/utc_time.hpp"
#include "status/metrics_text.hpp"

namespace ih::collect {

namespace {

using agent::status::ApiRequest;
using agent::status::ApiResponse;
using agent::status::ApiRoute;
using nlohmann::json;

constexpr std::int64_t kDefaultSpanMs = 720'000;  // one SN89 window
constexpr std::size_t kMaxLimit = 10'000;

ApiResponse json_reply(const json& j, int status = 200) {
  return {status, "application/json", j.dump(-1, ' ', false, json::error_handler_t::replace)};
}

ApiResponse bad_request(const std::string& message) {
  return json_reply({{"error", {{"code", 400}, {"message", message}}}}, 400);
}

std::optional<std::string> param(const ApiRequest& r, const char* name) {
  const auto it = r.params.find(name);
  if (it == r.params.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> count_param(const std::string& text) {
  std::size_t v = 0;
  const auto res = std::from_chars(text.data(), text.data() + text.size(), v);
  if (res.ec != std::errc() || res.ptr != text.data() + text.size()) return std::nullopt;
  return v;
}

std::optional<std::int64_t> time_param(std::string text) {
  // A raw "+00:00" in a query string arrives as " 00:00" ('+' means space in forms).
  for (char& c : text)
    if (c == ' ') c = '+';
  return proof::parse_iso8601(text);
}

json window_json(std::int64_t start_ms, std::int64_t end_ms) {
  return {{"start", proof::format_iso8601(start_ms)}, {"end", proof::format_iso8601(end_ms)}};
}

ApiResponse workers_reply(const CollectStore& store, const ApiRequest& request,
                          std::int64_t now_ms) {
  const IntervalOrError parsed = parse_interval(request, now_ms);
  if (const auto* error = std::get_if<std::string>(&parsed)) return bad_request(*error);
  const Interval& interval = std::get<Interval>(parsed);
  const std::string pattern = param(request, "pattern").value_or("*");
  const double seconds = static_cast<double>(interval.to_ms - interval.from_ms) / 1000.0;
  json workers = json::array();
  for (const WorkerRate& w : store.workers(pattern, interval)) {
    const double hashrate = w.difficulty * proof::kHashesPerDifficulty / seconds;
    workers.push_back({{"worker_id", w.worker_id},
                       {"hashrate", static_cast<std::uint64_t>(std::llround(hashrate))},
                       {"bound", w.bound}});
  }
  return json_reply({{"workers", std::move(workers)}});
}

ApiResponse reports_reply(const CollectStore& store, const ApiRequest& request,
                          std::int64_t now_ms) {
  const IntervalOrError parsed = parse_interval(request, now_ms);
  if (const auto* error = std::get_if<std::string>(&parsed)) return bad_request(*error);
  json reports = json::array();
  for (const ReportEntry& e : store.reports(std::get<Interval>(parsed)))
    reports.push_back({{"report_id", e.report_id},
                       {"agent_key", e.agent_key},
                       {"verdict", e.verdict},
                       {"status", e.status},
                       {"window", window_json(e.start_ms, e.end_ms)},
                       {"received", proof::format_iso8601(e.received_ms)},
                       {"proofs", e.proofs},
                       {"workers", e.workers},
                       {"bound", e.bound},
                       {"reasons", e.reasons}});
  return json_reply({{"reports", std::move(reports)}});
}

ApiResponse conflicts_reply(const CollectStore& store, const ApiRequest& request,
                            std::int64_t now_ms) {
  const IntervalOrError parsed = parse_interval(request, now_ms);
  if (const auto* error = std::get_if<std::string>(&parsed)) return bad_request(*error);
  json conflicts = json::array();
  for (const Conflict& c : store.conflicts(std::get<Interval>(parsed)))
    conflicts.push_back({{"share", hex_encode(c.share)},
                         {"first_report", c.first_report},
                         {"first_agent_key", c.first_agent_key},
                         {"claimed_by_report", c.claimed_by_report},
                         {"claimed_by_key", c.claimed_by_key},
                         {"claimed_by_workers", c.claimed_by_workers},
                         {"detected", proof::format_iso8601(c.detected_ms)}});
  return json_reply({{"conflicts", std::move(conflicts)}});
}

}  // namespace

IntervalOrError parse_interval(const ApiRequest& request, std::int64_t now_ms) {
  Interval out;
  out.to_ms = now_ms;
  if (auto end = param(request, "end_time")) {
    auto t = time_param(*end);
    if (!t) return "end_time is not an ISO 8601 time with seconds and a UTC offset";
    out.to_ms = *t;
  }
  out.from_ms = out.to_ms - kDefaultSpanMs;
  if (auto start = param(request, "start_time")) {
    auto t = time_param(*start);
    if (!t) return "start_time is not an ISO 8601 time with seconds and a UTC offset";
    out.from_ms = *t;
  }
  if (out.to_ms <= out.from_ms) return std::string("end_time must be after start_time");
  out.limit = 1000;
  if (auto limit = param(request, "limit")) {
    auto v = count_param(*limit);
    if (!v || *v == 0 || *v > kMaxLimit) return "limit must be 1.." + std::to_string(kMaxLimit);
    out.limit = *v;
  }
  if (auto offset = param(request, "offset")) {
    auto v = count_param(*offset);
    if (!v) return std::string("offset must be a non-negative integer");
    out.offset = *v;
  }
  return out;
}

std::vector<ApiRoute> collect_routes(ReportIngest& ingest, CollectStore& store,
                                     CollectMetrics& metrics, Clock clock) {
  std::vector<ApiRoute> routes;
  ReportIngest* in = &ingest;
  const CollectStore* st = &store;
  const CollectMetrics* m = &metrics;
  routes.push_back({"POST", "/api/v1/reports", [in, clock](const ApiRequest& r) {
                      IngestOutcome o = in->ingest(r.body, clock());
                      return ApiResponse{o.status, "application/json", std::move(o.body)};
                    }});
  routes.push_back({"GET", "/api/v1/reports",
                    [st, clock](const ApiRequest& r) { return reports_reply(*st, r, clock()); }});
  routes.push_back({"GET", "/api/v1/workers",
                    [st, clock](const ApiRequest& r) { return workers_reply(*st, r, clock()); }});
  routes.push_back({"GET", "/api/v1/conflicts",
                    [st, clock](const ApiRequest& r) { return conflicts_reply(*st, r, clock()); }});
  routes.push_back(
      {"GET", "/metrics", [st, m](const ApiRequest&) {
         return ApiResponse{200, agent::status::kPrometheusContentType, m->text(st->stats())};
       }});
  routes.push_back({"GET", "/health", [st](const ApiRequest&) {
                      if (st->healthy()) return json_reply({{"status", "ok"}});
                      return json_reply({{"status", "unhealthy"}, {"reasons", {"database"}}}, 503);
                    }});
  for (ApiRoute& route : routes) route.needs_auth = false;  // see docs/collect.md: all public
  return routes;
}

}  // namespace ih::collect
