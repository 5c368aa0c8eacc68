#include "proof/proof_api.hpp"

#include <fnmatch.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "proof/estimator.hpp"
#include "proof/utc_time.hpp"
#include "proof/window_reporter.hpp"

namespace ih::proof {

namespace {

using agent::status::ApiRequest;
using agent::status::ApiResponse;
using agent::status::ApiRoute;
using nlohmann::json;

ApiResponse error(int status, const std::string& message) {
  return {status, "application/json",
          json{{"error", message}}.dump(-1, ' ', false, json::error_handler_t::replace)};
}

std::optional<std::string> param(const ApiRequest& r, const char* name) {
  auto it = r.params.find(name);
  if (it == r.params.end()) return std::nullopt;
  return it->second;
}

std::optional<std::size_t> count_param(const std::string& text) {
  if (text.empty() || text.size() > 9 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  return static_cast<std::size_t>(std::stoul(text));
}

// start_time/end_time: both required, ISO 8601 with an offset, start before end.
std::optional<ApiResponse> read_interval(const ApiRequest& r, std::int64_t& start,
                                         std::int64_t& end) {
  const auto s = param(r, "start_time"), e = param(r, "end_time");
  if (!s || !e)
    return error(400,
                 "start_time and end_time are required (ISO 8601, e.g. 2026-12-01T19:00:00+00:00)");
  const auto ps = parse_iso8601(*s), pe = parse_iso8601(*e);
  if (!ps || !pe)
    return error(400,
                 "start_time and end_time must be ISO 8601 with a UTC offset, e.g. "
                 "2026-12-01T19:00:00+00:00");
  if (*pe <= *ps) return error(400, "end_time must be after start_time");
  start = *ps;
  end = *pe;
  return std::nullopt;
}

ApiResponse workers(const ProofApiOptions& o, const ApiRequest& r) {
  std::int64_t start = 0, end = 0;
  if (auto bad = read_interval(r, start, end)) return *bad;
  const std::string pattern = param(r, "pattern").value_or("*");
  std::size_t limit = o.max_limit, offset = 0;
  if (auto l = param(r, "limit")) {
    auto v = count_param(*l);
    if (!v || *v == 0) return error(400, "limit must be a positive integer");
    limit = std::min(*v, o.max_limit);
  }
  if (auto off = param(r, "offset")) {
    auto v = count_param(*off);
    if (!v) return error(400, "offset must be a non-negative integer");
    offset = *v;
  }
  const ProofSet proofs = o.store->query(start, end);
  std::map<std::string, double> sums;  // worker id -> Σ credited difficulty (sorted by id)
  for (const ShareProof& s : proofs.shares) {
    if (s.verdict != Verdict::accepted) continue;
    const std::string& id = proofs.jobs[s.job].worker;
    if (worker_matches(pattern, id)) sums[id] += credited_difficulty(s, o.proof_difficulty);
  }
  const double seconds = static_cast<double>(end - start) / 1000.0;
  json list = json::array();
  std::size_t index = 0;
  for (const auto& [id, sum] : sums) {
    if (index++ < offset) continue;
    if (list.size() == limit) break;
    list.push_back({{"worker_id", id},
                    {"hashrate", static_cast<std::uint64_t>(
                                     std::llround(sum * kHashesPerDifficulty / seconds))}});
  }
  return {200, "application/json",
          json{{"workers", std::move(list)}}.dump(-1, ' ', false, json::error_handler_t::replace)};
}

ApiResponse reports(const ProofApiOptions& o, const ApiRequest& r) {
  if (auto name = param(r, "name")) {  // one file, by the name the list gave
    if (!report_file_window(*name)) return error(400, "no such report name");
    std::ifstream in(o.reports_dir / *name, std::ios::binary);
    if (!in) return error(404, "no such report");
    return {200, "application/json",
            std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>())};
  }
  std::int64_t start = std::numeric_limits<std::int64_t>::min();
  std::int64_t end = std::numeric_limits<std::int64_t>::max();
  if (param(r, "start_time") || param(r, "end_time"))
    if (auto bad = read_interval(r, start, end)) return *bad;
  std::vector<std::pair<std::int64_t, std::string>> found;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(o.reports_dir, ec)) {
    const std::string name = e.path().filename().string();
    const auto window = report_file_window(name);
    if (window && window->second > start && window->first < end)
      found.emplace_back(window->first, name);
  }
  std::sort(found.begin(), found.end());
  json list = json::array();
  for (const auto& [window_start, name] : found) {
    const auto window = *report_file_window(name);
    list.push_back({{"name", name},
                    {"start_time", format_iso8601(window.first)},
                    {"end_time", format_iso8601(window.second)},
                    {"url", "/api/v1/reports?name=" + name}});
  }
  return {200, "application/json",
          json{{"reports", std::move(list)}}.dump(-1, ' ', false, json::error_handler_t::replace)};
}

}  // namespace

bool worker_matches(std::string_view pattern, std::string_view worker_id) {
  return ::fnmatch(std::string(pattern).c_str(), std::string(worker_id).c_str(), 0) == 0;
}

std::vector<ApiRoute> proof_api_routes(ProofApiOptions options) {
  std::vector<ApiRoute> routes;
  routes.push_back(
      {"GET", "/api/v1/workers", [o = options](const ApiRequest& r) { return workers(o, r); }});
  routes.push_back(
      {"GET", "/api/v1/reports", [o = options](const ApiRequest& r) { return reports(o, r); }});
  return routes;
}

}  // namespace ih::proof
