#include "proxy/proxy_routes.hpp"

#include <prometheus/counter.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>
#include <prometheus/text_serializer.h>

#include <nlohmann/json.hpp>

#include "proxy/proxy_dashboard.hpp"

namespace ih::proxy {

using nlohmann::json;

namespace {

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json optional_number(const std::optional<double>& v) {
  return v ? json(*v) : json(nullptr);
}

json worker_json(const WorkerStatus& w, const ProxyStatus& s) {
  return {{"connection", w.connection},
          {"name", w.name},
          {"upstream_name", w.upstream_name},
          {"user_agent", w.user_agent},
          {"remote", w.remote},
          {"pool", w.pool ? json(s.pools[*w.pool].name) : json(nullptr)},
          {"difficulty", w.difficulty},
          {"hashrate", optional_number(w.hashrate)},
          {"hashrate_window_seconds", w.hashrate_window_seconds},
          {"shares",
           {{"valid", w.shares_valid},
            {"invalid", w.shares_invalid},
            {"forwarded", w.forwarded},
            {"accepted", w.upstream_accepted},
            {"rejected", w.upstream_rejected}}},
          {"accepted_difficulty", w.accepted_difficulty},
          {"moves", w.moves},
          {"connected_seconds", w.connected_seconds}};
}

json pool_json(const PoolStatus& p) {
  return {
      {"name", p.name},
      {"url", p.url},
      {"worker_id", p.worker_id},
      {"backup", p.backup},
      {"connected", p.connected},
      {"usable", p.usable},
      {"problem", p.problem},
      {"difficulty", p.difficulty},
      {"target_hashrate", optional_number(p.target_hashrate)},
      {"weight", p.weight},
      {"desired_hashrate", p.desired_hashrate},
      {"assigned_hashrate", p.assigned_hashrate},
      {"workers", p.workers},
      {"shares", {{"forwarded", p.forwarded}, {"accepted", p.accepted}, {"rejected", p.rejected}}},
      {"jobs", p.jobs}};
}

}  // namespace

bool proxy_healthy(const ProxyStatus& s) {
  for (const auto& p : s.pools)
    if (p.usable) return true;
  return false;
}

std::string workers_json(const ProxyStatus& s) {
  json list = json::array();
  for (const auto& w : s.workers) list.push_back(worker_json(w, s));
  return dump({{"workers", list}});
}

std::string pools_json(const ProxyStatus& s) {
  json list = json::array();
  for (const auto& p : s.pools) list.push_back(pool_json(p));
  return dump({{"pools", list}, {"rebalances", s.rebalances}, {"reloads", s.reloads}});
}

// The keys of xmrig-proxy's /1/summary (kind, algo, ua, miners, upstreams, results.accepted /
// rejected / invalid / hashes_total, hashrate.total) beside the xmrig ones mine serves
// (results.shares_good / shares_rejected), so tools written for either read it.
std::string summary_json(const ProxyStatus& s, const std::string& version) {
  double hashrate = 0, accepted_difficulty = 0;
  std::uint64_t valid = 0, invalid = 0, accepted = 0, rejected = 0;
  for (const auto& w : s.workers) {
    if (w.hashrate) hashrate += *w.hashrate;
    valid += w.shares_valid;
    invalid += w.shares_invalid;
    accepted_difficulty += w.accepted_difficulty;
  }
  std::size_t usable = 0;
  for (const auto& p : s.pools) {
    accepted += p.accepted;
    rejected += p.rejected;
    if (p.usable) ++usable;
  }
  return dump(
      {{"kind", "proxy"},
       {"mode", "proxy"},
       {"algo", "sha256d"},
       {"ua", "infinite-hashes/" + version},
       {"version", version},
       {"uptime", s.uptime_seconds},
       {"miners", {{"now", s.workers.size()}, {"total", s.connections_total}}},
       {"workers", s.workers.size()},
       {"connections_total", s.connections_total},
       {"upstreams",
        {{"active", usable}, {"error", s.pools.size() - usable}, {"total", s.pools.size()}}},
       {"hashrate", {{"total", {hashrate}}}},
       {"downstream_shares", {{"valid", valid}, {"invalid", invalid}}},
       {"results",
        {{"accepted", accepted},
         {"rejected", rejected},
         {"invalid", invalid},
         {"hashes_total", accepted_difficulty * 4294967296.0},
         {"shares_good", accepted},
         {"shares_rejected", rejected}}},
       {"pools", s.pools.size()},
       {"healthy", proxy_healthy(s)}});
}

std::string proxy_metrics_text(const ProxyStatus& s, const std::string& version) {
  prometheus::Registry registry;
  using prometheus::BuildCounter;
  using prometheus::BuildGauge;
  BuildGauge()
      .Name("infinite_hashes_build_info")
      .Help("Always 1; the version in a label")
      .Register(registry)
      .Add({{"version", version}, {"mode", "proxy"}})
      .Set(1);
  auto& worker_rate = BuildGauge()
                          .Name("infinite_hashes_proxy_worker_hashrate_hashes_per_second")
                          .Help("A downstream worker's hashrate estimated from its shares")
                          .Register(registry);
  auto& worker_shares = BuildCounter()
                            .Name("infinite_hashes_proxy_worker_shares_total")
                            .Help("A downstream worker's shares, by result")
                            .Register(registry);
  auto& worker_diff = BuildGauge()
                          .Name("infinite_hashes_proxy_worker_difficulty")
                          .Help("A downstream worker's current share difficulty")
                          .Register(registry);
  for (const auto& w : s.workers) {
    const std::string pool = w.pool ? s.pools[*w.pool].name : "";
    const prometheus::Labels l{
        {"worker", w.name}, {"pool", pool}, {"connection", std::to_string(w.connection)}};
    if (w.hashrate) worker_rate.Add(l).Set(*w.hashrate);
    worker_diff.Add(l).Set(w.difficulty);
    const std::pair<const char*, std::uint64_t> results[] = {{"valid", w.shares_valid},
                                                             {"invalid", w.shares_invalid},
                                                             {"forwarded", w.forwarded},
                                                             {"accepted", w.upstream_accepted},
                                                             {"rejected", w.upstream_rejected}};
    for (const auto& [result, n] : results) {
      auto labels = l;
      labels["result"] = result;
      worker_shares.Add(labels).Increment(static_cast<double>(n));
    }
  }
  auto& pool_up = BuildGauge()
                      .Name("infinite_hashes_proxy_pool_usable")
                      .Help("1 while the upstream pool is connected and has work")
                      .Register(registry);
  auto& pool_rate = BuildGauge()
                        .Name("infinite_hashes_proxy_pool_hashrate_hashes_per_second")
                        .Help("Hashrate routed to a pool: desired, assigned (estimates), target")
                        .Register(registry);
  auto& pool_workers = BuildGauge()
                           .Name("infinite_hashes_proxy_pool_workers")
                           .Help("Downstream workers on the pool")
                           .Register(registry);
  auto& pool_shares = BuildCounter()
                          .Name("infinite_hashes_proxy_pool_shares_total")
                          .Help("Shares forwarded to the pool, by result")
                          .Register(registry);
  for (const auto& p : s.pools) {
    const prometheus::Labels l{{"pool", p.name}, {"url", p.url}};
    pool_up.Add(l).Set(p.usable ? 1 : 0);
    pool_workers.Add(l).Set(static_cast<double>(p.workers));
    auto with = [&](const char* key, const char* value) {
      auto labels = l;
      labels[key] = value;
      return labels;
    };
    pool_rate.Add(with("kind", "desired")).Set(p.desired_hashrate);
    pool_rate.Add(with("kind", "assigned")).Set(p.assigned_hashrate);
    if (p.target_hashrate) pool_rate.Add(with("kind", "target")).Set(*p.target_hashrate);
    pool_shares.Add(with("result", "forwarded")).Increment(static_cast<double>(p.forwarded));
    pool_shares.Add(with("result", "accepted")).Increment(static_cast<double>(p.accepted));
    pool_shares.Add(with("result", "rejected")).Increment(static_cast<double>(p.rejected));
  }
  return prometheus::TextSerializer().Serialize(registry.Collect());
}

std::vector<agent::status::ApiRoute> proxy_routes(StatusFn status, std::string version) {
  using agent::status::ApiRequest;
  using agent::status::ApiResponse;
  std::vector<agent::status::ApiRoute> routes;
  routes.push_back(
      {"GET", "/health",
       [status](const ApiRequest&) {
         const bool ok = proxy_healthy(status());
         return ApiResponse{
             ok ? 200 : 503, "application/json",
             ok ? R"({"status":"ok"})"
                : R"({"status":"unhealthy","reasons":["no upstream pool is usable"]})"};
       },
       false});
  // The page holds no figures (it fetches them with the token from its URL fragment): public,
  // as `mine`'s dashboard is.
  routes.push_back({"GET", "/",
                    [](const ApiRequest&) {
                      return ApiResponse{200, "text/html; charset=utf-8", proxy_dashboard_page()};
                    },
                    false});
  routes.push_back({"GET", "/1/summary", [status, version](const ApiRequest&) {
                      return ApiResponse{200, "application/json", summary_json(status(), version)};
                    }});
  routes.push_back({"GET", "/2/workers", [status](const ApiRequest&) {
                      return ApiResponse{200, "application/json", workers_json(status())};
                    }});
  routes.push_back({"GET", "/2/pools", [status](const ApiRequest&) {
                      return ApiResponse{200, "application/json", pools_json(status())};
                    }});
  routes.push_back({"GET", "/metrics", [status, version](const ApiRequest&) {
                      return ApiResponse{200, "text/plain; version=0.0.4",
                                         proxy_metrics_text(status(), version)};
                    }});
  return routes;
}

}  // namespace ih::proxy
