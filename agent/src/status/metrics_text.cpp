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
  auto& info = BuildGauge()
                   .Name("infinite_hashes_build_info")
                   .Help("Always 1; the version in a label")
                   .Register(registry);
  info.Add({{"version", s.version}}).Set(1);
  BuildGauge()
      .Name("infinite_hashes_uptime_seconds")
      .Help("Seconds since mining started")
      .Register(registry)
      .Add({})
      .Set(s.uptime_seconds);
  BuildGauge()
      .Name("infinite_hashes_paused")
      .Help("1 while mining is paused through the control API")
      .Register(registry)
      .Add({})
      .Set(s.paused ? 1 : 0);

  auto& hashrate = BuildGauge()
                       .Name("infinite_hashes_device_hashrate_hashes_per_second")
                       .Help("Hashes per second of one device over a window (10s, 60s, 15m)")
                       .Register(registry);
  auto& hashes = BuildCounter()
                     .Name("infinite_hashes_device_hashes_total")
                     .Help("Hashes computed by one device")
                     .Register(registry);
  auto& shares = BuildCounter()
                     .Name("infinite_hashes_shares_total")
                     .Help("Shares found by one device, by result")
                     .Register(registry);
  auto& hw = BuildCounter()
                 .Name("infinite_hashes_hardware_errors_total")
                 .Help("Candidates from one device that failed the CPU re-check")
                 .Register(registry);
  auto& temperature = BuildGauge()
                          .Name("infinite_hashes_gpu_temperature_celsius")
                          .Help("GPU temperature as NVML reports it")
                          .Register(registry);
  auto& power = BuildGauge()
                    .Name("infinite_hashes_gpu_power_watts")
                    .Help("GPU power draw as NVML reports it")
                    .Register(registry);
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

  auto& connected = BuildGauge()
                        .Name("infinite_hashes_pool_connected")
                        .Help("1 while the pool connection is up")
                        .Register(registry);
  auto& failures = BuildCounter()
                       .Name("infinite_hashes_pool_connection_failures_total")
                       .Help("Failed connection attempts and lost connections")
                       .Register(registry);
  auto& reconnects = BuildCounter()
                         .Name("infinite_hashes_pool_reconnects_total")
                         .Help("Times the pool connection came back after the first")
                         .Register(registry);
  for (std::size_t p = 0; p < s.pools.size(); ++p) {
    const Labels labels = {{"pool", std::to_string(p)}, {"url", s.pools[p].url}};
    connected.Add(labels).Set(s.pools[p].connected ? 1 : 0);
    failures.Add(labels).Increment(static_cast<double>(s.pools[p].failures));
    const std::uint64_t again = s.pools[p].connects > 0 ? s.pools[p].connects - 1 : 0;
    reconnects.Add(labels).Increment(static_cast<double>(again));
  }
  if (s.job.present) {
    BuildGauge()
        .Name("infinite_hashes_job_age_seconds")
        .Help("Seconds since the current job arrived")
        .Register(registry)
        .Add({})
        .Set(s.job.age_seconds);
    BuildGauge()
        .Name("infinite_hashes_share_difficulty")
        .Help("Share difficulty of the current job")
        .Register(registry)
        .Add({})
        .Set(s.job.difficulty);
  }
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

}  // namespace ih::agent::status
