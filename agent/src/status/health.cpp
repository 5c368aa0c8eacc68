#include "status/health.hpp"

#include <algorithm>

namespace ih::agent::status {

HealthPolicy::HealthPolicy(std::chrono::seconds max_job_age) {
  checks_.push_back([](const StatusSnapshot& s) -> std::optional<HealthProblem> {
    if (!s.paused) return std::nullopt;
    return HealthProblem{"paused", "mining is paused (POST /json_rpc resume)"};
  });
  checks_.push_back([](const StatusSnapshot& s) -> std::optional<HealthProblem> {
    if (std::any_of(s.pools.begin(), s.pools.end(), [](const auto& p) { return p.connected; }))
      return std::nullopt;
    return HealthProblem{"no_pool", "no pool is connected"};
  });
  checks_.push_back([max_job_age](const StatusSnapshot& s) -> std::optional<HealthProblem> {
    if (!s.job.present) return HealthProblem{"no_job", "no job received from the pool yet"};
    const auto limit = static_cast<double>(max_job_age.count());
    if (s.job.age_seconds <= limit) return std::nullopt;
    return HealthProblem{
        "stale_job", "the newest job is " + std::to_string(static_cast<long>(s.job.age_seconds)) +
                         " s old (limit " + std::to_string(max_job_age.count()) + " s)"};
  });
  checks_.push_back([](const StatusSnapshot& s) -> std::optional<HealthProblem> {
    if (s.devices.empty() || std::any_of(s.devices.begin(), s.devices.end(),
                                         [](const auto& d) { return !d.description.failed; }))
      return std::nullopt;
    return HealthProblem{"devices_failed", "every device has failed"};
  });
}

void HealthPolicy::add(HealthCheck check) {
  std::lock_guard lock(mutex_);
  checks_.push_back(std::move(check));
}

std::vector<HealthProblem> HealthPolicy::evaluate(const StatusSnapshot& snapshot) const {
  std::lock_guard lock(mutex_);
  std::vector<HealthProblem> problems;
  for (const auto& check : checks_)
    if (auto problem = check(snapshot)) problems.push_back(std::move(*problem));
  return problems;
}

}  // namespace ih::agent::status
