#include "status/status_json.hpp"

#include <nlohmann/json.hpp>

#include <cmath>

namespace ih::agent::status {

namespace {

using nlohmann::json;

std::string dump(const json& doc) {
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

json rate(const std::optional<double>& r) {
  return r ? json(std::round(*r * 100) / 100) : json(nullptr);
}

json rates(const DeviceRates& r) {
  return json::array({rate(r.r10s), rate(r.r60s), rate(r.r15m)});
}

template <typename T>
json optional_value(const std::optional<T>& v) {
  return v ? json(*v) : json(nullptr);
}

json buckets(const ShareBuckets& b) {
  return {{"found", b.found},
          {"accepted", b.accepted},
          {"rejected", b.rejected},
          {"stale", b.stale},
          {"hardware_errors", b.hardware_errors},
          {"pending", b.pending},
          {"best_difficulty", b.best_difficulty},
          {"accepted_difficulty", b.accepted_difficulty}};
}

json health(const std::optional<hwdetect::GpuHealth>& h) {
  const hwdetect::GpuHealth g = h.value_or(hwdetect::GpuHealth{});
  return {{"temperature_c", optional_value(g.temperature_c)},
          {"power_w", optional_value(g.power_w)},
          {"power_limit_w", optional_value(g.power_limit_w)},
          {"fan_percent", optional_value(g.fan_percent)},
          {"sm_clock_mhz", optional_value(g.sm_clock_mhz)},
          {"memory_clock_mhz", optional_value(g.memory_clock_mhz)},
          {"utilization_percent", optional_value(g.utilization_percent)}};
}

long long ping_ms(const ShareBuckets& b) {
  if (b.latency_samples == 0) return 0;
  return static_cast<long long>(b.latency_total.count()) /
         static_cast<long long>(b.latency_samples);
}

json connection(const StatusSnapshot& s) {
  const PoolStatus* active = nullptr;
  for (const auto& p : s.pools)
    if (p.active) active = &p;
  if (active == nullptr && !s.pools.empty()) active = &s.pools.front();
  if (active == nullptr) return nullptr;
  std::uint64_t failures = 0;
  for (const auto& p : s.pools) failures += p.failures;
  return {{"pool", active->url},
          {"ip", optional_value(active->ip)},
          {"uptime", static_cast<long long>(active->connected_seconds.value_or(0))},
          {"ping", ping_ms(active->shares)},
          {"failures", failures},
          {"tls", active->tls ? json("TLS") : json(nullptr)},
          {"diff", s.job.difficulty},
          {"accepted", active->shares.accepted},
          {"rejected", active->shares.rejected},
          {"connected", active->connected}};
}

}  // namespace

std::string summary_json(const StatusSnapshot& s, const std::string& id) {
  const ShareBuckets& t = s.ledger.total;
  const std::uint64_t settled = t.accepted + t.rejected + t.stale;
  json devices = json::array();
  for (const auto& d : s.devices)
    devices.push_back({{"name", d.description.name}, {"shares", buckets(d.shares)}});
  json pools = json::array();
  for (const auto& p : s.pools) pools.push_back({{"url", p.url}, {"shares", buckets(p.shares)}});
  json reasons = json::object();
  for (const auto& [reason, count] : s.ledger.reject_reasons) reasons[reason] = count;
  const json doc = {
      {"id", id},
      {"worker_id", s.worker_id},
      {"version", s.version},
      {"kind", "miner"},
      {"ua", s.user_agent},
      {"uptime", static_cast<long long>(s.uptime_seconds)},
      {"algo", "sha256d"},
      {"paused", s.paused},
      {"hashrate", {{"total", rates(s.total)}, {"highest", std::round(s.highest_10s * 100) / 100}}},
      {"results",
       {{"diff_current", s.job.difficulty},
        {"shares_good", t.accepted},
        {"shares_total", settled},
        {"avg_time", t.accepted == 0 ? 0
                                     : static_cast<long long>(s.uptime_seconds) /
                                           static_cast<long long>(t.accepted)},
        {"hashes_total", s.total.total},
        {"best", s.best}}},
      {"connection", connection(s)},
      {"cpu",
       {{"brand", s.cpu.model},
        {"vendor", s.cpu.vendor},
        {"cores", s.cpu_cores},
        {"threads", s.cpu.logical_cpus},
        {"features", s.cpu.flags}}},
      {"ledger",
       {{"total", buckets(t)},
        {"devices", devices},
        {"pools", pools},
        {"reject_reasons", reasons},
        {"stale_unsent", s.ledger.stale_unsent},
        {"stale_by_pool", s.ledger.stale_by_pool},
        {"duplicates_dropped", s.ledger.duplicates_dropped}}}};
  return dump(doc);
}

std::string backends_json(const StatusSnapshot& s) {
  json out = json::array();
  for (std::size_t i = 0; i < s.devices.size(); ++i) {
    const DeviceStatus& d = s.devices[i];
    out.push_back({{"index", i},
                   {"name", d.description.name},
                   {"kind", d.description.kind},
                   {"scanner", d.description.scanner},
                   {"threads", d.description.threads},
                   {"enabled", !d.description.failed},
                   {"failed", d.description.failed},
                   {"paused", d.description.paused},
                   {"hashrate", rates(d.rates)},
                   {"hashes_total", d.rates.total},
                   {"hardware_errors", d.shares.hardware_errors},
                   {"shares", buckets(d.shares)},
                   {"health", health(d.health)}});
  }
  return dump(out);
}

std::string health_json(const std::vector<HealthProblem>& problems) {
  if (problems.empty()) return dump({{"status", "ok"}});
  json reasons = json::array();
  for (const auto& p : problems) reasons.push_back({{"code", p.code}, {"message", p.message}});
  return dump({{"status", "unhealthy"}, {"reason", problems.front().code}, {"reasons", reasons}});
}

std::string history_json(const std::vector<HashrateSample>& samples) {
  json points = json::array();
  for (const auto& p : samples)
    points.push_back(json::array({p.unix_seconds, optional_value(p.hashes_per_second)}));
  return dump({{"points", points}});
}

std::string error_json(int code, const std::string& message) {
  return dump({{"error", {{"code", code}, {"message", message}}}});
}

}  // namespace ih::agent::status
