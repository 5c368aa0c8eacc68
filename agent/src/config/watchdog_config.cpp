#include "config/watchdog_config.hpp"

#include <nlohmann/json.hpp>

namespace ih::agent {

namespace {

struct Field {
  const char* key;
  double WatchdogConfig::*member;
  double min;
  double max;
};

constexpr Field kFields[] = {
    {"pool-job-timeout", &WatchdogConfig::pool_job_timeout, 1, 86400},
    {"pool-stale-after", &WatchdogConfig::pool_stale_after, 1, 86400},
    {"pool-max-reject-ratio", &WatchdogConfig::pool_max_reject_ratio, 0, 1},
    {"pool-max-share-rate", &WatchdogConfig::pool_max_share_rate, 0.1, 10000},
};

std::string range_text(const Field& f) {
  return nlohmann::json(f.min).dump() + ".." + nlohmann::json(f.max).dump();
}

}  // namespace

const std::vector<std::string>& watchdog_config_keys() {
  static const std::vector<std::string> keys = [] {
    std::vector<std::string> k;
    for (const auto& f : kFields) k.emplace_back(f.key);
    return k;
  }();
  return keys;
}

std::optional<Result<bool>> apply_watchdog_key(WatchdogConfig& config, const std::string& key,
                                               const nlohmann::json& value) {
  for (const auto& f : kFields) {
    if (key != f.key) continue;
    if (!value.is_number() || value.get<double>() < f.min || value.get<double>() > f.max)
      return Result<bool>(make_error("config key '" + key + "': expected a number in " +
                                     range_text(f) + ", got " + value.dump()));
    config.*f.member = value.get<double>();
    return Result<bool>(true);
  }
  return std::nullopt;
}

void add_watchdog_json(const WatchdogConfig& config, nlohmann::json& doc) {
  for (const auto& f : kFields) doc[f.key] = config.*f.member;
}

Result<bool> validate_watchdog(const WatchdogConfig& config) {
  for (const auto& f : kFields) {
    const double v = config.*f.member;
    if (!(v >= f.min && v <= f.max))
      return make_error(std::string(f.key) + ": must be in " + range_text(f));
  }
  return true;
}

stratum::PoolWatchdog to_pool_watchdog(const WatchdogConfig& config) {
  auto ms = [](double seconds) {
    return std::chrono::milliseconds(static_cast<long long>(seconds * 1000));
  };
  stratum::PoolWatchdog w;
  w.job_timeout = ms(config.pool_job_timeout);
  w.stale_after = ms(config.pool_stale_after);
  w.max_reject_ratio = config.pool_max_reject_ratio;
  return w;
}

}  // namespace ih::agent
