// The JSON documents of the status endpoint (schemas: docs/status-api.md). Pure formatting of a
// snapshot; remote strings in it (reject reasons) are encoded safely, invalid UTF-8 replaced.
#pragma once

#include <string>
#include <vector>

#include "status/health.hpp"
#include "status/status_snapshot.hpp"

namespace ih::agent::status {

// GET /1/summary, shaped like xmrig's so scripts written for it work unchanged.
std::string summary_json(const StatusSnapshot& s, const std::string& id);
// GET /2/backends: one entry per device.
std::string backends_json(const StatusSnapshot& s);
// GET /health body: {"status":"ok"} or {"status":"unhealthy","reason":...,"reasons":[...]}.
std::string health_json(const std::vector<HealthProblem>& problems);
// GET /dashboard/history: the chart's points, oldest first.
std::string history_json(const std::vector<HashrateSample>& samples);
// {"error":{"code":..,"message":..}} for refusals (401, 403, 404, 413 ...).
std::string error_json(int code, const std::string& message);

}  // namespace ih::agent::status
