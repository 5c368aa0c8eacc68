// GET /metrics: the snapshot in Prometheus text format, through prometheus-cpp's registry and
// TextSerializer. Names: infinite_hashes_ prefix, base units, _total for counters.
#pragma once

#include <string>

#include "status/status_snapshot.hpp"

namespace ih::agent::status {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string metrics_text(const StatusSnapshot& s);

}  // namespace ih::agent::status
