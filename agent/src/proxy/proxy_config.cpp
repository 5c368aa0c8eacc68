#include "proxy/proxy_config.hpp"

#include <toml++/toml.h>
#include <cmath>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>

#include "ih/log_escape.hpp"
#include "proxy/hashrate_text.hpp"

namespace ih::proxy {

namespace {

constexpr std::int64_t kMaxSeconds = 7 * 24 * 3600;  // a week: longer is surely a typo

// Where we are in the document: the source name for messages, and the warnings so far.
struct Reader {
  std::string source;
  std::vector<std::string> warnings;

  std::string at(const toml::node& node, const std::string& path) const {
    return source + ":" + std::to_string(node.source().begin.line) + ": " + path;
  }
  Error error(const toml::node& node, const std::string& path, const std::string& what) const {
    return make_error(at(node, path) + ": " + what);
  }
  void warn(const toml::node& node, const std::string& path, const std::string& what) {
    warnings.push_back(at(node, path) + ": " + what);
  }
};

std::string toml_text(const toml::node& node) {
  std::ostringstream out;
  node.visit([&](const auto& n) { out << n; });
  return out.str();
}

// "text", escaped. Built by appending: GCC 12 warns falsely (-Wrestrict) on "\"" + std::string.
std::string quote(std::string_view text) {
  std::string out = "\"";
  out += escape_for_log(text);
  out += '"';
  return out;
}

// The value as the user wrote it, for "got ..." in messages.
std::string describe(const toml::node& node) {
  if (const auto* s = node.as_string()) return quote(s->get());
  if (node.is_table()) return "a table";
  if (node.is_array()) return "an array";
  if (node.is_date() || node.is_time() || node.is_date_time()) return "a date/time";
  return escape_for_log(toml_text(node));
}

std::string key_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

// Unknown keys are warnings naming their path: a typo must not silently change routing.
void warn_unknown_keys(Reader& r, const toml::table& table, const std::string& path,
                       std::initializer_list<std::string_view> known) {
  for (const auto& [key, node] : table) {
    bool found = false;
    for (std::string_view k : known) found = found || k == key.str();
    if (!found) r.warn(node, key_path(path, key.str()), "unknown key (ignored)");
  }
}

Result<const toml::table*> table_at(const Reader& r, const toml::node& node,
                                    const std::string& path) {
  const toml::table* t = node.as_table();
  if (!t) return r.error(node, path, "expected a table, got " + describe(node));
  return t;
}

Result<std::string> read_string(const Reader& r, const toml::node& node, const std::string& path) {
  const auto* s = node.as_string();
  if (!s) return r.error(node, path, "expected a string, got " + describe(node));
  return s->get();
}

Result<std::int64_t> read_integer(const Reader& r, const toml::node& node, const std::string& path,
                                  std::int64_t min, std::int64_t max) {
  const auto* i = node.as_integer();
  if (!i || i->get() < min || i->get() > max)
    return r.error(node, path,
                   "expected an integer " + std::to_string(min) + ".." + std::to_string(max) +
                       ", got " + describe(node));
  return i->get();
}

// An integer or a float, finite and >= min.
Result<double> read_number(const Reader& r, const toml::node& node, const std::string& path,
                           double min, const std::string& expected) {
  std::optional<double> v;
  if (const auto* i = node.as_integer()) v = static_cast<double>(i->get());
  if (const auto* f = node.as_floating_point()) v = f->get();
  if (!v || !std::isfinite(*v) || *v < min)
    return r.error(node, path, "expected " + expected + ", got " + describe(node));
  return *v;
}

Result<std::vector<std::string>> read_string_array(const Reader& r, const toml::node& node,
                                                   const std::string& path) {
  std::vector<std::string> out;
  if (const auto* s = node.as_string()) {  // one pattern written without brackets
    out.push_back(s->get());
    return out;
  }
  const toml::array* a = node.as_array();
  if (!a) return r.error(node, path, "expected an array of strings, got " + describe(node));
  for (std::size_t i = 0; i < a->size(); ++i) {
    const toml::node& item = *a->get(i);
    auto s = read_string(r, item, path + "[" + std::to_string(i) + "]");
    if (!s) return s.error();
    out.push_back(std::move(*s));
  }
  return out;
}

Result<double> read_target(const Reader& r, const toml::node& node, const std::string& path) {
  if (const auto* s = node.as_string()) {
    auto hs = parse_hashrate(s->get());
    if (!hs) return r.error(node, path, hs.error().message);
    return *hs;
  }
  // A bare number is H/s.
  return read_number(r, node, path, 0, "a hashrate such as \"300TH/s\"");
}

Result<ProxyPool> read_pool(Reader& r, const toml::node& node, const std::string& path,
                            std::string default_name, bool backup) {
  auto table = table_at(r, node, path);
  if (!table) return table.error();
  const toml::table& t = **table;
  warn_unknown_keys(r, t, path, {"name", "host", "port", "weight", "worker_id", "target_hashrate"});
  ProxyPool pool;
  pool.backup = backup;
  pool.name = std::move(default_name);

  if (const toml::node* n = t.get("name")) {
    auto name = read_string(r, *n, path + ".name");
    if (!name) return name.error();
    if (name->empty()) return r.error(*n, path + ".name", "expected a non-empty string");
    pool.name = std::move(*name);
  }

  const toml::node* host = t.get("host");
  if (!host) return r.error(node, path + ".host", "missing (the pool's host name or address)");
  auto host_text = read_string(r, *host, path + ".host");
  if (!host_text) return host_text.error();
  if (host_text->empty()) return r.error(*host, path + ".host", "expected a non-empty string");
  if (host_text->find("://") != std::string::npos ||
      host_text->find_first_of(" \t\r\n") != std::string::npos)
    return r.error(
        *host, path + ".host",
        "expected a host name or address (the port goes in `port`), got " + describe(*host));
  pool.host = std::move(*host_text);

  const toml::node* port = t.get("port");
  if (!port) return r.error(node, path + ".port", "missing (an integer 1..65535)");
  auto port_number = read_integer(r, *port, path + ".port", 1, 65535);
  if (!port_number) return port_number.error();
  pool.port = static_cast<std::uint16_t>(*port_number);

  if (const toml::node* n = t.get("worker_id")) {
    auto worker = read_string(r, *n, path + ".worker_id");
    if (!worker) return worker.error();
    pool.worker_id = std::move(*worker);
  }

  const toml::node* weight = t.get("weight");
  if (weight) {
    auto w = read_number(r, *weight, path + ".weight", 0, "a finite number >= 0");
    if (!w) return w.error();
    pool.weight = *w;
  }
  const toml::node* target = t.get("target_hashrate");
  if (target) {
    auto hs = read_target(r, *target, path + ".target_hashrate");
    if (!hs) return hs.error();
    pool.target_hashrate = *hs;
  }

  if (backup) {
    if (weight) r.warn(*weight, path + ".weight", "unused: the backup pool takes every worker");
    if (target)
      r.warn(*target, path + ".target_hashrate", "unused: the backup pool takes every worker");
  } else if (target && weight) {
    r.warn(*weight, path + ".weight", "unused: target_hashrate wins");
  } else if (!target && pool.weight == 0) {
    r.warn(*weight, path + ".weight", "0 and no target_hashrate: this pool gets no workers");
  }
  return pool;
}

Result<bool> read_pools(Reader& r, const toml::table& doc, ProxyConfig& config) {
  const toml::node* pools_node = doc.get("pools");
  if (!pools_node)
    return r.error(doc, "pools.main", "missing: at least one [[pools.main]] pool is needed");
  auto pools = table_at(r, *pools_node, "pools");
  if (!pools) return pools.error();
  warn_unknown_keys(r, **pools, "pools", {"main", "backup"});

  const toml::node* main_node = (*pools)->get("main");
  if (!main_node)
    return r.error(*pools_node, "pools.main",
                   "missing: at least one [[pools.main]] pool is needed");
  const toml::array* main = main_node->as_array();
  if (!main)
    return r.error(*main_node, "pools.main",
                   "expected an array of tables ([[pools.main]]), got " + describe(*main_node));
  if (main->empty())
    return r.error(*main_node, "pools.main", "empty: at least one [[pools.main]] pool is needed");

  std::map<std::string, std::string> path_of_name;
  const auto add_name = [&](const ProxyPool& pool, const toml::node& node,
                            const std::string& path) -> Result<bool> {
    const auto [it, fresh] = path_of_name.emplace(pool.name, path);
    if (!fresh)
      return r.error(node, path + ".name",
                     quote(pool.name) + " is already the name of " + it->second);
    return true;
  };

  for (std::size_t i = 0; i < main->size(); ++i) {
    const std::string path = "pools.main[" + std::to_string(i) + "]";
    const toml::node& node = *main->get(i);
    auto pool = read_pool(r, node, path, "main[" + std::to_string(i) + "]", false);
    if (!pool) return pool.error();
    if (auto named = add_name(*pool, node, path); !named) return named.error();
    config.main.push_back(std::move(*pool));
  }
  if (const toml::node* backup = (*pools)->get("backup")) {
    auto pool = read_pool(r, *backup, "pools.backup", "backup", true);
    if (!pool) return pool.error();
    if (auto named = add_name(*pool, *backup, "pools.backup"); !named) return named.error();
    config.backup = std::move(*pool);
  }
  return true;
}

Result<bool> read_extranonce(Reader& r, const toml::node& node, ProxyConfig& config) {
  auto table = table_at(r, node, "extranonce");
  if (!table) return table.error();
  warn_unknown_keys(r, **table, "extranonce", {"extranonce2_size"});
  if (const toml::node* n = (*table)->get("extranonce2_size")) {
    auto size = read_integer(r, *n, "extranonce.extranonce2_size", 1, 8);
    if (!size) return size.error();
    config.extranonce2_size = static_cast<unsigned>(*size);
  }
  return true;
}

struct SecondsKey {
  std::string_view key;
  std::chrono::seconds RoutingConfig::*member;
  std::int64_t min;
};

constexpr SecondsKey kSecondsKeys[] = {
    {"rebalance_interval_seconds", &RoutingConfig::rebalance_interval_seconds, 1},
    {"grace_period_seconds", &RoutingConfig::grace_period_seconds, 0},
    {"min_reassign_interval_seconds", &RoutingConfig::min_reassign_interval_seconds, 0},
    {"pool_connect_timeout_seconds", &RoutingConfig::pool_connect_timeout_seconds, 1},
    {"pool_read_timeout_seconds", &RoutingConfig::pool_read_timeout_seconds, 1},
    {"pool_unhealthy_cooldown_seconds", &RoutingConfig::pool_unhealthy_cooldown_seconds, 0},
    {"worker_assignment_stale_threshold_seconds",
     &RoutingConfig::worker_assignment_stale_threshold_seconds, 1},
    {"disconnected_worker_retention_seconds", &RoutingConfig::disconnected_worker_retention_seconds,
     0},
};

Result<bool> read_routing(Reader& r, const toml::node& node, RoutingConfig& routing) {
  auto table = table_at(r, node, "routing");
  if (!table) return table.error();
  for (const auto& [key, value] : **table) {
    const std::string path = key_path("routing", key.str());
    bool known = false;
    for (const SecondsKey& k : kSecondsKeys) {
      if (k.key != key.str()) continue;
      known = true;
      auto seconds = read_integer(r, value, path, k.min, kMaxSeconds);
      if (!seconds) return seconds.error();
      routing.*k.member = std::chrono::seconds(*seconds);
    }
    if (key.str() == "min_shares_for_estimate") {
      known = true;
      auto shares = read_integer(r, value, path, 1, 1'000'000);
      if (!shares) return shares.error();
      routing.min_shares_for_estimate = static_cast<unsigned>(*shares);
    } else if (key.str() == "rebalance_threshold_percent") {
      known = true;
      auto percent = read_number(r, value, path, 0, "a finite number >= 0");
      if (!percent) return percent.error();
      routing.rebalance_threshold_percent = *percent;
    }
    if (!known) r.warn(value, path, "unknown key (ignored)");
  }
  return true;
}

Result<bool> read_filters(Reader& r, const toml::node& node, FilterConfig& filters) {
  auto table = table_at(r, node, "filters");
  if (!table) return table.error();
  for (const auto& [key, value] : **table) {
    const std::string path = key_path("filters", key.str());
    if (key.str() == "allowed_workers" || key.str() == "blocked_workers") {
      auto patterns = read_string_array(r, value, path);
      if (!patterns) return patterns.error();
      (key.str() == "allowed_workers" ? filters.allowed_workers : filters.blocked_workers) =
          std::move(*patterns);
    } else {
      r.warn(value, path, "unknown key (kept, not applied)");
      filters.other[std::string(key.str())] = toml_text(value);
    }
  }
  return true;
}

}  // namespace

Result<LoadedProxyConfig> parse_proxy_config(std::string_view toml_text,
                                             std::string_view source_name) {
  Reader r{std::string(source_name), {}};
  toml::table doc;
  try {
    doc = toml::parse(toml_text, source_name);
  } catch (const toml::parse_error& e) {
    return make_error(r.source + ":" + std::to_string(e.source().begin.line) + ":" +
                      std::to_string(e.source().begin.column) + ": " +
                      std::string(e.description()));
  }
  warn_unknown_keys(r, doc, "", {"pools", "extranonce", "routing", "filters"});

  LoadedProxyConfig out;
  if (auto ok = read_pools(r, doc, out.config); !ok) return ok.error();
  if (const toml::node* n = doc.get("extranonce"))
    if (auto ok = read_extranonce(r, *n, out.config); !ok) return ok.error();
  if (const toml::node* n = doc.get("routing"))
    if (auto ok = read_routing(r, *n, out.config.routing); !ok) return ok.error();
  if (const toml::node* n = doc.get("filters"))
    if (auto ok = read_filters(r, *n, out.config.filters); !ok) return ok.error();
  out.warnings = std::move(r.warnings);
  return out;
}

Result<LoadedProxyConfig> load_proxy_config(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot read the proxy config");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return make_error(path + ": cannot read the proxy config");
  return parse_proxy_config(text.str(), path);
}

}  // namespace ih::proxy
