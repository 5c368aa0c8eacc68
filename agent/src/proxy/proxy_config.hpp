// The proxy's pools.toml (issue 14, docs/proxy-routing.md): the upstream pools, how workers are
// routed between them, the downstream extranonce size and worker filters. The keys are the ones
// the subnet's miner tooling writes ([[pools.main]] with target_hashrate / weight,
// [pools.backup], [extranonce], [routing]); the tooling rewrites target_hashrate when bids are
// won or lost (e.g. "0TH/s" with none), so a target of 0 is valid.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ih/result.hpp"

namespace ih::proxy {

struct ProxyPool {
  std::string name;  // unique over main and backup; defaults to "main[<i>]" / "backup"
  std::string host;
  std::uint16_t port = 0;
  double weight = 1;      // share of what the target pools leave; 0: this pool gets no workers
  std::string worker_id;  // upstream login prefix, see upstream_worker_name()
  std::optional<double> target_hashrate;  // H/s; set: the pool gets this much, weight unused
  bool backup = false;                    // [pools.backup]: used only while every main is down

  std::string url() const;  // stratum+tcp://host:port
};

// [routing]. Defaults in brackets; who reads each key says what it means.
struct RoutingConfig {
  // Runtime: how often the router runs [60].
  std::chrono::seconds rebalance_interval_seconds{60};
  // Runtime: a newly connected worker is placed by count, not by its estimate, this long [120].
  std::chrono::seconds grace_period_seconds{120};
  // Estimator: fewer shares than this in the window: no estimate [10].
  unsigned min_shares_for_estimate = 10;
  // Router: pools stay as they are until one is off its desired hashrate by more than this [10].
  double rebalance_threshold_percent = 10;
  // Router: a worker moved less than this ago is not moved for balance (failover ignores it) [300].
  std::chrono::seconds min_reassign_interval_seconds{300};
  // Runtime, upstream connection: connect [10] and silence [120] before the pool is unhealthy.
  std::chrono::seconds pool_connect_timeout_seconds{10};
  std::chrono::seconds pool_read_timeout_seconds{120};
  // Runtime: an unhealthy pool is not retried for this long [60].
  std::chrono::seconds pool_unhealthy_cooldown_seconds{60};
  // Runtime: an assignment whose worker has sent nothing for this long is dropped [600].
  std::chrono::seconds worker_assignment_stale_threshold_seconds{600};
  // Runtime: a disconnected worker's estimate and pool are kept this long for its return [3600].
  std::chrono::seconds disconnected_worker_retention_seconds{3600};
};

// [filters]: which downstream worker names may connect. Patterns are globs ('*' any run, '?' one
// character) over the full name the ASIC authorizes with. Keys the proxy does not know are kept
// in `other` (their TOML text) and reported as warnings.
struct FilterConfig {
  std::vector<std::string> allowed_workers;  // empty: every name not blocked
  std::vector<std::string> blocked_workers;
  std::map<std::string, std::string> other;
};

struct ProxyConfig {
  std::vector<ProxyPool> main;               // at least one
  std::optional<ProxyPool> backup;           // backup == true
  std::optional<unsigned> extranonce2_size;  // [extranonce] extranonce2_size, 1..8
  RoutingConfig routing;
  FilterConfig filters;
};

struct LoadedProxyConfig {
  ProxyConfig config;
  std::vector<std::string> warnings;  // unknown keys, unused values: worth logging, not fatal
};

// Errors and warnings read "<source>:<line>: <key path>: <what>", the key path dotted with
// 0-based array indices (pools.main[1].port). A TOML syntax error gives toml++'s line and column.
Result<LoadedProxyConfig> parse_proxy_config(std::string_view toml_text,
                                             std::string_view source_name);
Result<LoadedProxyConfig> load_proxy_config(const std::string& path);

// The login sent upstream for a downstream worker: "<worker_id>.<suffix>", the suffix being
// what follows the first '.' of the downstream name (the whole name when it has none), with
// every character outside [A-Za-z0-9_-] replaced by '_' and cut to 64 characters; an empty
// suffix becomes "default". An empty worker_id passes the downstream name through unchanged.
std::string upstream_worker_name(const ProxyPool& pool, std::string_view downstream_worker);

// [filters] applied to a downstream worker name: blocked wins over allowed.
bool worker_allowed(const FilterConfig& filters, std::string_view downstream_worker);

// Glob match: '*' matches any run of characters (also none), '?' exactly one.
bool glob_match(std::string_view pattern, std::string_view text);

}  // namespace ih::proxy
