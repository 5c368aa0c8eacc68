#include "ih/bench/report_format.hpp"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "ih/hex_encode.hpp"

namespace ih::bench {

namespace {

std::string rate(double hps) {
  char buf[32];
  if (hps >= 1e9)
    std::snprintf(buf, sizeof buf, "%.3f GH/s", hps / 1e9);
  else
    std::snprintf(buf, sizeof buf, "%.2f MH/s", hps / 1e6);
  return buf;
}

}  // namespace

std::string format_table(const BenchReport& report) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %-7s %7s %14s %14s %14s %7s %9s  %s\n", "scanner",
                "device", "threads", "total", "per thread", "1 thread", "scaling", "speed-up",
                "status");
  out += line;
  for (const auto& r : report.results) {
    if (r.status == ResultStatus::ok) {
      char speedup[16] = "n/a";
      if (r.speedup > 0) std::snprintf(speedup, sizeof speedup, "%.2fx", r.speedup);
      char scaling[16] = "-";
      if (r.scaling > 0) std::snprintf(scaling, sizeof scaling, "%.2fx", r.scaling);
      const std::string single =
          r.single_thread_hashrate > 0 ? rate(r.single_thread_hashrate) : std::string("-");
      std::snprintf(line, sizeof line, "%-14s %-7s %7u %14s %14s %14s %7s %9s  ok\n",
                    r.scanner.c_str(), r.device.c_str(), r.threads, rate(r.hashrate).c_str(),
                    rate(r.hashrate_per_thread).c_str(), single.c_str(), scaling, speedup);
    } else {
      std::snprintf(line, sizeof line,
                    "%-14s %-7s %7s %14s %14s %14s %7s %9s  %s: ", r.scanner.c_str(),
                    r.device.c_str(), "-", "-", "-", "-", "-", "-", status_name(r.status));
    }
    out += line;
    if (r.status != ResultStatus::ok) out += r.reason + "\n";
    if (!r.details.empty()) out += "    " + r.details + "\n";
  }
  out += "digest " + report.reference_digest + " (seed " + std::to_string(report.config.seed) +
         (report.all_ok() ? "; every scanner that ran agrees)\n" : "; SOME SCANNERS DISAGREE)\n");
  if (!report.baseline.empty()) out += "speed-up is per thread, over '" + report.baseline + "'\n";
  for (const auto& r : report.results)
    if (r.scanner == report.chosen_cpu_kernel && r.status == ResultStatus::ok) {
      std::snprintf(line, sizeof line, "mine would hash with '%s': %s per thread, %s on %u threads",
                    r.scanner.c_str(), rate(r.hashrate_per_thread).c_str(),
                    rate(r.hashrate).c_str(), r.threads);
      out += line;
      if (r.speedup > 0) {
        std::snprintf(line, sizeof line, ", %.2fx '%s' per thread", r.speedup,
                      report.baseline.c_str());
        out += line;
      }
      out += "\n  (" + report.chosen_why + ")\n";
    }
  return out;
}

std::string format_json(const BenchReport& report, const std::string& hardware_json) {
  using nlohmann::json;
  json results = json::array();
  for (const auto& r : report.results) {
    json j = {{"scanner", r.scanner}, {"device", r.device}, {"status", status_name(r.status)}};
    if (r.status == ResultStatus::ok) {
      j["threads"] = r.threads;
      j["hashes"] = r.hashes;
      j["seconds"] = r.seconds;
      j["hashrate"] = r.hashrate;
      j["hashrate_per_thread"] = r.hashrate_per_thread;
      j["speedup"] = r.speedup > 0 ? json(r.speedup) : json(nullptr);
      j["single_thread_hashrate"] =
          r.single_thread_hashrate > 0 ? json(r.single_thread_hashrate) : json(nullptr);
      j["scaling"] = r.scaling > 0 ? json(r.scaling) : json(nullptr);
      if (!r.details.empty()) j["details"] = r.details;
    } else {
      j["reason"] = r.reason;
    }
    j["digest"] = r.digest.empty() ? json(nullptr) : json(r.digest);
    results.push_back(std::move(j));
  }
  json hardware = json::parse(hardware_json, nullptr, /*allow_exceptions=*/false);
  const json doc = {
      {"schema", kBenchJsonSchema},
      {"seed", report.config.seed},
      {"seconds_per_scanner", report.config.seconds},
      {"cpu_threads", report.config.cpu_threads},
      {"header", hex_encode(report.header)},
      {"digest_range",
       {{"first_nonce", report.range.first_nonce},
        {"count", report.range.count},
        {"target", report.range.target.to_hex()}}},
      {"digest", report.reference_digest},
      {"baseline", report.baseline.empty() ? json(nullptr) : json(report.baseline)},
      {"chosen_cpu_kernel",
       report.chosen_cpu_kernel.empty() ? json(nullptr) : json(report.chosen_cpu_kernel)},
      {"chosen_why", report.chosen_why.empty() ? json(nullptr) : json(report.chosen_why)},
      {"ok", report.all_ok()},
      {"results", std::move(results)},
      {"hardware", hardware.is_discarded() ? json(nullptr) : std::move(hardware)},
  };
  return doc.dump(2) + "\n";
}

}  // namespace ih::bench
