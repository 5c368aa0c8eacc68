#include "status/cgminer_reply.hpp"

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <utility>
#include <vector>

namespace ih::agent::status {

namespace {

using nlohmann::json;
using Section = std::vector<std::pair<std::string, json>>;  // ordered key/values

struct Reply {
  bool ok = true;
  int code = 0;
  std::string msg;
  std::string list_name;  // "SUMMARY", "DEVS", ...
  std::vector<Section> entries;
};

double mhs(const std::optional<double>& rate) {
  return rate ? *rate / 1e6 : 0.0;
}

Section summary_section(const StatusSnapshot& s) {
  const ShareBuckets& t = s.ledger.total;
  return {
      {"Elapsed", static_cast<std::int64_t>(s.uptime_seconds)},
      {"MHS av",
       s.uptime_seconds > 0 ? static_cast<double>(s.total.total) / s.uptime_seconds / 1e6 : 0.0},
      {"MHS 10s", mhs(s.total.r10s)},
      {"MHS 1m", mhs(s.total.r60s)},
      {"MHS 15m", mhs(s.total.r15m)},
      {"Found Blocks", 0},
      {"Accepted", t.accepted},
      {"Rejected", t.rejected},
      {"Stale", t.stale},
      {"Hardware Errors", t.hardware_errors},
      {"Difficulty Accepted", t.accepted_difficulty},
      {"Best Share", t.best_difficulty},
      {"Pool Rejected%",
       t.accepted + t.rejected > 0
           ? 100.0 * static_cast<double>(t.rejected) / static_cast<double>(t.accepted + t.rejected)
           : 0.0}};
}

Section device_section(std::size_t i, const DeviceStatus& d) {
  const std::string kind = d.description.kind == "cpu" ? "CPU" : "GPU";
  const hwdetect::GpuHealth h = d.health.value_or(hwdetect::GpuHealth{});
  return {{kind, i},
          {"Name", d.description.name},
          {"Scanner", d.description.scanner},
          {"Enabled", d.description.failed ? "N" : "Y"},
          {"Status", d.description.failed   ? "Dead"
                     : d.description.paused ? "Idle"
                                            : "Alive"},
          {"Temperature", h.temperature_c ? static_cast<double>(*h.temperature_c) : 0.0},
          {"MHS 10s", mhs(d.rates.r10s)},
          {"MHS 1m", mhs(d.rates.r60s)},
          {"Accepted", d.shares.accepted},
          {"Rejected", d.shares.rejected},
          {"Hardware Errors", d.shares.hardware_errors},
          {"Total MH", static_cast<double>(d.rates.total) / 1e6}};
}

Section pool_section(std::size_t i, const PoolStatus& p, const StatusSnapshot& s) {
  return {{"POOL", i},
          {"URL", p.url},
          {"Status", p.connected ? "Alive" : "Dead"},
          {"Priority", i},
          {"Stratum Active", p.active},
          {"Getworks", 0},
          {"Accepted", p.shares.accepted},
          {"Rejected", p.shares.rejected},
          {"Stale", p.shares.stale},
          {"User", s.worker_id},
          {"Last Share Difficulty", p.active ? s.job.difficulty : 0.0},
          {"Pool Stale%", 0.0}};
}

Reply answer(const std::string& command, const StatusSnapshot& s) {
  Reply r;
  if (command == "summary") {
    r = {true, 11, "Summary", "SUMMARY", {summary_section(s)}};
  } else if (command == "devs") {
    r = {true, 9, std::to_string(s.devices.size()) + " device(s)", "DEVS", {}};
    for (std::size_t i = 0; i < s.devices.size(); ++i)
      r.entries.push_back(device_section(i, s.devices[i]));
  } else if (command == "pools") {
    r = {true, 7, std::to_string(s.pools.size()) + " Pool(s)", "POOLS", {}};
    for (std::size_t i = 0; i < s.pools.size(); ++i)
      r.entries.push_back(pool_section(i, s.pools[i], s));
  } else if (command == "version") {
    r = {true,
         22,
         "infinite-hashes versions",
         "VERSION",
         {{{"CGMiner", s.version}, {"API", "3.7"}, {"Miner", "infinite-hashes " + s.version}}}};
  } else if (command == "config") {
    std::size_t cpus = 0, gpus = 0;
    for (const auto& d : s.devices) ++(d.description.kind == "cpu" ? cpus : gpus);
    r = {true,
         33,
         "infinite-hashes config",
         "CONFIG",
         {{{"CPU Count", cpus},
           {"GPU Count", gpus},
           {"Pool Count", s.pools.size()},
           {"Strategy", "Failover"},
           {"OS", "Linux"}}}};
  } else if (command == "stats") {
    r = {true, 70, "infinite-hashes stats", "STATS", {}};
    for (std::size_t i = 0; i < s.devices.size(); ++i)
      r.entries.push_back({{"STATS", i},
                           {"ID", s.devices[i].description.name},
                           {"Elapsed", static_cast<std::int64_t>(s.uptime_seconds)},
                           {"Hashes", s.devices[i].rates.total}});
  } else {
    r = {false, 14, "Invalid command", "", {}};
  }
  return r;
}

Section status_section(const Reply& r, const StatusSnapshot& s) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  return {{"STATUS", r.ok ? "S" : "E"},
          {"When", static_cast<std::int64_t>(now)},
          {"Code", r.code},
          {"Msg", r.msg},
          {"Description", "infinite-hashes " + s.version}};
}

// cgminer's plain form escapes its separators with a backslash.
std::string plain_value(const json& v) {
  const std::string raw = v.is_string()    ? v.get<std::string>()
                          : v.is_boolean() ? (v.get<bool>() ? "true" : "false")
                                           : v.dump();
  std::string out;
  for (char c : raw) {
    if (c == ',' || c == '|' || c == '=' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) out += c;
  }
  return out;
}

std::string render_plain(const Section& status, const Reply& r) {
  auto section = [](const Section& entries, bool first_is_name) {
    std::string out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      if (i > 0) out += ',';
      out += entries[i].first;
      if (i == 0 && !first_is_name) continue;
      out += '=' + plain_value(entries[i].second);
    }
    return out + '|';
  };
  std::string out = section(status, true);
  for (const auto& e : r.entries) {
    // Single-object lists start with their name alone (SUMMARY,...), like cgminer does.
    const bool named = e.front().first == "CPU" || e.front().first == "GPU" ||
                       e.front().first == "POOL" || e.front().first == "STATS";
    out += named ? section(e, true) : r.list_name + "," + section(e, true);
  }
  return out;
}

json to_object(const Section& s) {
  json o = json::object();
  for (const auto& [k, v] : s) o[k] = v;
  return o;
}

}  // namespace

std::string cgminer_reply(std::string_view request, const StatusSnapshot& snapshot) {
  std::string text(request);
  while (!text.empty() && (text.back() == '\0' || text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  const bool as_json = !text.empty() && text.front() == '{';
  std::string command;
  json id = 1;
  if (as_json) {
    const json doc = json::parse(text, nullptr, false);
    if (!doc.is_discarded() && doc.is_object() && doc.contains("command") &&
        doc["command"].is_string())
      command = doc["command"].get<std::string>();
    if (!doc.is_discarded() && doc.is_object() && doc.contains("id")) id = doc["id"];
  } else {
    command = text.substr(0, text.find('|'));
  }
  const Reply r = answer(command, snapshot);
  const Section status = status_section(r, snapshot);
  std::string out;
  if (as_json) {
    json doc = {{"STATUS", json::array({to_object(status)})}, {"id", id}};
    if (!r.list_name.empty()) {
      json list = json::array();
      for (const auto& e : r.entries) list.push_back(to_object(e));
      doc[r.list_name] = list;
    }
    out = doc.dump(-1, ' ', false, json::error_handler_t::replace);
  } else {
    out = render_plain(status, r);
  }
  out.push_back('\0');
  return out;
}

}  // namespace ih::agent::status
