// The JSON form of MachineReport. Field names and meanings are a stable, documented schema
// (docs/devices-json.md): add fields freely, never rename or repurpose one without bumping
// schema_version. Unknown values are null, never 0.
#include <nlohmann/json.hpp>

#include "ih/hwdetect/machine_report.hpp"

namespace ih::hwdetect {

namespace {

using nlohmann::json;

template <typename T>
json or_null(const std::optional<T>& value) {
  return value ? json(*value) : json(nullptr);
}

json or_null(const std::string& text) {
  return text.empty() ? json(nullptr) : json(text);
}

json topology_json(const TopologySummary& t) {
  json kinds = json::array();
  for (const CpuKind& k : t.kinds)
    kinds.push_back({{"efficiency", k.efficiency < 0 ? json(nullptr) : json(k.efficiency)},
                     {"core_type", or_null(k.core_type)},
                     {"pus", k.pus}});
  json cores = json::array();
  for (const CoreInfo& c : t.core_list)
    cores.push_back({{"index", c.index},
                     {"package", c.package},
                     {"pus", c.pus},
                     {"kind", c.kind < 0 ? json(nullptr) : json(c.kind)}});
  return {{"packages", t.packages},
          {"cores", t.cores},
          {"pus", t.pus},
          {"numa_nodes", t.numa_nodes},
          {"l2_caches", t.l2_caches},
          {"l2_bytes", or_null(t.l2_bytes)},
          {"l3_caches", t.l3_caches},
          {"l3_bytes", or_null(t.l3_bytes)},
          {"hybrid", t.hybrid()},
          {"kinds", kinds},
          {"core_list", cores}};
}

json cpu_json(const MachineReport& r) {
  json cpu = {{"vendor", r.cpu.vendor},
              {"model", r.cpu.model},
              {"logical_cpus", r.cpu.logical_cpus},
              {"flags", r.cpu.flags},
              {"topology", r.topology ? topology_json(*r.topology) : json(nullptr)},
              {"topology_error", or_null(r.topology_error)}};
  if (r.thread_plan)
    cpu["thread_plan"] = {{"threads", r.thread_plan->pus.size()},
                          {"pus", r.thread_plan->pus},
                          {"reason", r.thread_plan->reason}};
  else
    cpu["thread_plan"] = nullptr;
  cpu["thread_plan_error"] = or_null(r.thread_plan_error);
  return cpu;
}

json health_json(const GpuHealth& h) {
  return {{"temperature_c", or_null(h.temperature_c)},
          {"power_w", or_null(h.power_w)},
          {"power_limit_w", or_null(h.power_limit_w)},
          {"fan_percent", or_null(h.fan_percent)},
          {"sm_clock_mhz", or_null(h.sm_clock_mhz)},
          {"memory_clock_mhz", or_null(h.memory_clock_mhz)},
          {"utilization_percent", or_null(h.utilization_percent)},
          {"memory_utilization_percent", or_null(h.memory_utilization_percent)}};
}

json version_or_null(const std::optional<int>& version) {
  return version ? json(cuda_version_string(*version)) : json(nullptr);
}

json cuda_json(const CudaReport& c) {
  json devices = json::array();
  for (const CudaDevice& d : c.devices)
    devices.push_back({{"index", d.index},
                       {"name", d.name},
                       {"uuid", or_null(d.uuid)},
                       {"pci_bus_id", or_null(d.pci_bus_id)},
                       {"compute_capability",
                        std::to_string(d.compute_major) + "." + std::to_string(d.compute_minor)},
                       {"multiprocessors", d.multiprocessors},
                       {"memory_bytes", d.memory_bytes},
                       {"clock_mhz", or_null(d.clock_mhz)},
                       {"memory_clock_mhz", or_null(d.memory_clock_mhz)},
                       {"health", health_json(d.health)}});
  return {{"usable", c.usable()},
          {"reason", or_null(c.reason)},
          {"driver_version", version_or_null(c.driver_version)},
          {"runtime_version", version_or_null(c.runtime_version)},
          {"devices", devices}};
}

json opencl_json(const OpenClReport& o) {
  json platforms = json::array();
  for (const OpenClPlatform& p : o.platforms) {
    json devices = json::array();
    for (const OpenClDevice& d : p.devices)
      devices.push_back({{"name", d.name},
                         {"vendor", d.vendor},
                         {"type", d.type},
                         {"compute_units", d.compute_units},
                         {"global_memory_bytes", d.global_memory_bytes},
                         {"max_clock_mhz", or_null(d.max_clock_mhz)},
                         {"opencl_version", d.opencl_version},
                         {"driver_version", d.driver_version}});
    platforms.push_back({{"name", p.name},
                         {"vendor", p.vendor},
                         {"version", p.version},
                         {"error", or_null(p.error)},
                         {"devices", devices}});
  }
  return {{"built", o.built},
          {"reason", or_null(o.reason)},
          {"device_count", o.device_count()},
          {"platforms", platforms}};
}

}  // namespace

std::string machine_report_json(const MachineReport& report, int indent) {
  const json doc = {{"schema_version", kMachineReportSchemaVersion},
                    {"cpu", cpu_json(report)},
                    {"cuda", cuda_json(report.cuda)},
                    {"opencl", opencl_json(report.opencl)},
                    {"nvml",
                     {{"available", report.nvml.available},
                      {"reason", or_null(report.nvml.reason)},
                      {"driver_version", or_null(report.nvml.driver_version)}}}};
  // Replace, not throw, on invalid UTF-8 from a driver's name strings.
  return doc.dump(indent, ' ', false, json::error_handler_t::replace);
}

}  // namespace ih::hwdetect
