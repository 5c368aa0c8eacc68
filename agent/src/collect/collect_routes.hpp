// The collector's HTTP routes (docs/collect.md), as status-server ApiRoutes: POST and GET
// /api/v1/reports, GET /api/v1/workers (the SN89 proxy API shape), GET /api/v1/conflicts,
// /health and /metrics. Handlers take plain requests, so tests can call them directly.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "collect/collect_metrics.hpp"
#include "collect/collect_store.hpp"
#include "collect/report_ingest.hpp"
#include "status/api_route.hpp"

namespace ih::collect {

using Clock = std::function<std::int64_t()>;  // UTC ms now

// The interval and page of a GET: start_time/end_time (ISO 8601 with seconds and a UTC offset;
// default the last 12 minutes), limit (1..10000, default 1000), offset. An error text otherwise.
using IntervalOrError = std::variant<Interval, std::string>;
IntervalOrError parse_interval(const agent::status::ApiRequest& request, std::int64_t now_ms);

// The routes read and write through these; all must outlive the server.
std::vector<agent::status::ApiRoute> collect_routes(ReportIngest& ingest, CollectStore& store,
                                                    CollectMetrics& metrics, Clock clock);

}  // namespace ih::collect
