// GET /health: 200 {"status":"ok"} while mining is healthy, 503 with the reasons otherwise.
// Each reason is one check; features add their own (a watchdog, a proof log) with add().
#pragma once

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "status/status_snapshot.hpp"

namespace ih::agent::status {

struct HealthProblem {
  std::string code;     // stable, for scripts: "no_pool", "stale_job", ...
  std::string message;  // for people
};

using HealthCheck = std::function<std::optional<HealthProblem>(const StatusSnapshot&)>;

class HealthPolicy {
 public:
  // The built-in checks: paused, no pool connected, no job / a job older than max_job_age,
  // every device failed.
  explicit HealthPolicy(std::chrono::seconds max_job_age = std::chrono::seconds(300));
  void add(HealthCheck check);  // thread-safe
  std::vector<HealthProblem> evaluate(const StatusSnapshot& snapshot) const;

 private:
  mutable std::mutex mutex_;
  std::vector<HealthCheck> checks_;
};

}  // namespace ih::agent::status
