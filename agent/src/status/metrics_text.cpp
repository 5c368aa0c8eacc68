#include "status/metrics_text.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

namespace ih::agent::status {

namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;
using prometheus::Labels;

Labels device_labels(std::size_t index, const DeviceStatus& d) {
  return {{"device", std::to_string(index)}, {"name", d.description.name}};
}

}  // namespace

std::string metrics_text(const StatusSnapshot& s) {
  // A fresh registry per scrape: counters take the ledger's totals as they are.
  prometheus::Registry registry;
  auto gauge = [&](const char* name, const char* help) -> prometheus::Family<prometheus::Gauge>& {
    return BuildGauge().Name(name).Help(help).Register(registry);
  };
  auto counter = [&](const char* name,
                     const char* help) -> prometheus::Family<prometheus::Counter>& {
    return BuildCounter().Name(name).Help(help).Register(registry);
  };
  auto& info = gauge("infinite_hashes_build_info", "Always 1; the version in a label");
  info.Add({{"version", s.version}}).Set(1);
  gauge("infinite_hashes_uptime_seconds", "Seconds since mining started")
      .Add({})
      .Set(s.uptime_seconds);
  gauge("infinite_hashes_paused", "1 while mining is paused through the control API")
      .Add({})
      .Set(s.paused ? 1 : 0);

  auto& hashrate = gauge("infinite_hashes_device_hashrate_hashes_per_second",
                         "Hashes per second of one device over a window (10s, 60s, 15m)");
  auto& hashes = counter("infinite_hashes_device_hashes_total", "Hashes computed by one device");
  auto& shares = counter("infinite_hashes_shares_total", "Shares found by one device, by result");
  auto& hw = counter("infinite_hashes_hardware_errors_total",
                     "Candidates from one device that failed the CPU re-check");
  auto& temperature =
      gauge("infinite_hashes_gpu_temperature_celsius", "GPU temperature as NVML reports it");
  auto& power = gauge("infinite_hashes_gpu_power_watts", "GPU power draw as NVML reports it");
  for (std::size_t i = 0; i < s.devices.size(); ++i) {
    const DeviceStatus& d = s.devices[i];
    const Labels labels = device_labels(i, d);
    const std::pair<const char*, std::optional<double>> windows[] = {
        {"10s", d.rates.r10s}, {"60s", d.rates.r60s}, {"15m", d.rates.r15m}};
    for (const auto& [window, value] : windows) {
      if (!value) continue;  // no sample rather than a made-up 0
      Labels l = labels;
      l["window"] = window;
      hashrate.Add(l).Set(*value);
    }
    hashes.Add(labels).Increment(static_cast<double>(d.rates.total));
    const std::pair<const char*, std::uint64_t> results[] = {{"accepted", d.shares.accepted},
                                                             {"rejected", d.shares.rejected},
                                                             {"stale", d.shares.stale}};
    for (const auto& [result, count] : results) {
      Labels l = labels;
      l["result"] = result;
      shares.Add(l).Increment(static_cast<double>(count));
    }
    hw.Add(labels).Increment(static_cast<double>(d.shares.hardware_errors));
    if (d.health && d.health->temperature_c)
      temperature.Add(labels).Set(static_cast<double>(*d.health->temperature_c));
    if (d.health && d.health->power_w) power.Add(labels).Set(*d.health->power_w);
  }

  auto& connected = gauge("infinite_hashes_pool_connected", "1 while the pool connection is up");
  auto& failures = counter("infinite_hashes_pool_connection_failures_total",
                           "Failed connection attempts and lost connections");
  auto& reconnects = counter("infinite_hashes_pool_reconnects_total",
                             "Times the pool connection came back after the first");
  for (std::size_t p = 0; p < s.pools.size(); ++p) {
    const Labels labels = {{"pool", std::to_string(p)}, {"url", s.pools[p].url}};
    connected.Add(labels).Set(s.pools[p].connected ? 1 : 0);
    failures.Add(labels).Increment(static_cast<double>(s.pools[p].failures));
    const std::uint64_t again = s.pools[p].connects > 0 ? s.pools[p].connects - 1 : 0;
    reconnects.Add(labels).Increment(static_cast<double>(again));
  }
  if (s.job.present) {
    gauge("infinite_hashes_job_age_seconds", "Seconds since the current job arrived")
        .Add({})
        .Set(s.job.age_seconds);
    gauge("infinite_hashes_share_difficulty", "Share difficulty of the current job")
        .Add({})
        .Set(s.job.difficulty);
  }
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

}  // namespace ih::agent::status
