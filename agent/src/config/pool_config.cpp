#include "config/pool_config.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>
#include <fstream>

#include "config/mine_config.hpp"
#include "config/pool_url.hpp"
#include "config/quoted.hpp"
#include "config/ss58.hpp"
#include "ih/stratum/client/pool_client.hpp"
#include "ih/stratum/client/pool_url.hpp"

namespace ih::agent {

namespace {

template <class T>
void take(std::optional<T>& base, const std::optional<T>& over) {
  if (over) base = over;
}

// The login a pool uses: --user, or the SN89 name built from --hotkey/--worker.
Result<std::string> login_name(const std::string& user, const std::string& hotkey,
                               const std::string& worker, const std::string& subaccount,
                               bool local_pool) {
  if (!hotkey.empty() || !worker.empty()) {
    if (!user.empty()) return make_error("user: give either --user or --hotkey/--worker, not both");
    if (hotkey.empty()) return make_error("hotkey: --worker needs --hotkey");
    return sn89_worker_name(subaccount, hotkey, worker);
  }
  if (!user.empty()) return user;
  if (local_pool) return std::string("local-miner");
  return make_error("user: a pool needs --user (or --hotkey/--worker)");
}

Result<ResolvedPool> resolve_one(const MineConfig& c, std::size_t index, const PoolEntry& entry,
                                 bool local_pool) {
  const PoolSettings& s = entry.settings;
  ResolvedPool out;
  out.index = index;
  out.url = entry.url;
  if (!local_pool) {
    auto url = stratum::parse_pool_url(entry.url);
    if (!url) return make_error("url: " + url.error().message);
    out.tls = url->tls;
  }
  // The login is one setting: a pool that names its own user ignores the default SN89 name
  // and the other way round (a list may mix sn89auction.<hotkey>.<worker> and account names).
  const auto given = [](const std::optional<std::string>& v) { return v && !v->empty(); };
  std::string user = c.user, hotkey = c.hotkey, worker = c.worker;
  if (given(s.user) || given(s.hotkey) || given(s.worker)) {
    if (given(s.user) && (given(s.hotkey) || given(s.worker)))
      return make_error("user: give either --user or --hotkey/--worker, not both");
    user = given(s.user) ? *s.user : "";
    hotkey = given(s.user) ? "" : s.hotkey.value_or(c.hotkey);
    worker = given(s.user) ? "" : s.worker.value_or(c.worker);
  }
  auto login = login_name(user, hotkey, worker, s.subaccount.value_or(c.subaccount), local_pool);
  if (!login) return login.error();
  out.user = *login;
  out.pass = s.pass.value_or(c.pass);
  out.suggest_difficulty = s.suggest_difficulty.value_or(c.suggest_difficulty);
  if (!std::isfinite(out.suggest_difficulty) || out.suggest_difficulty < 0)
    return make_error("suggest-difficulty: a number > 0 (0: no suggestion)");

  // TLS trust given for this pool itself must fit its URL; defaults only apply to TLS pools.
  const bool own_tls = !s.tls_ca.value_or("").empty() || s.tls_insecure.value_or(false) ||
                       !s.tls_fingerprint.value_or("").empty();
  if (!out.tls) {
    if (own_tls)
      return make_error(
          "TLS options (pool-ca, pool-insecure, pool-fingerprint) need a "
          "stratum+ssl:// URL");
    return out;
  }
  out.tls_ca = s.tls_ca.value_or(c.tls_ca);
  out.tls_insecure = s.tls_insecure.value_or(c.tls_insecure);
  const std::string pin = s.tls_fingerprint.value_or(c.tls_fingerprint);
  if (!pin.empty()) {
    auto normalized = normalize_fingerprint(pin);
    if (!normalized) return make_error("pool-fingerprint: " + normalized.error().message);
    out.tls_fingerprint = *normalized;
  }
  const int trust_modes =
      int(!out.tls_ca.empty()) + int(out.tls_insecure) + int(!out.tls_fingerprint.empty());
  if (trust_modes > 1)
    return make_error("give one of pool-ca, pool-insecure and pool-fingerprint, not several");
  if (!out.tls_ca.empty() && !std::ifstream(out.tls_ca))
    return make_error("pool-ca: " + agent::quoted(out.tls_ca) + " cannot be read");
  return out;
}

}  // namespace

void merge_pool_settings(PoolSettings& base, const PoolSettings& over) {
  take(base.user, over.user);
  take(base.pass, over.pass);
  take(base.hotkey, over.hotkey);
  take(base.worker, over.worker);
  take(base.subaccount, over.subaccount);
  take(base.tls_ca, over.tls_ca);
  take(base.tls_insecure, over.tls_insecure);
  take(base.tls_fingerprint, over.tls_fingerprint);
  take(base.suggest_difficulty, over.suggest_difficulty);
}

void apply_pool_defaults(MineConfig& c, const PoolSettings& d) {
  c.user = d.user.value_or(c.user);
  c.pass = d.pass.value_or(c.pass);
  c.hotkey = d.hotkey.value_or(c.hotkey);
  c.worker = d.worker.value_or(c.worker);
  c.subaccount = d.subaccount.value_or(c.subaccount);
  c.tls_ca = d.tls_ca.value_or(c.tls_ca);
  c.tls_insecure = d.tls_insecure.value_or(c.tls_insecure);
  c.tls_fingerprint = d.tls_fingerprint.value_or(c.tls_fingerprint);
  c.suggest_difficulty = d.suggest_difficulty.value_or(c.suggest_difficulty);
}

Result<std::vector<ResolvedPool>> resolve_pools(const MineConfig& c) {
  std::vector<ResolvedPool> out;
  if (c.pools.empty()) {
    auto local = resolve_one(c, 0, PoolEntry{}, true);
    if (!local) return make_error("local pool: " + local.error().message);
    out.push_back(*local);
    return out;
  }
  for (std::size_t i = 0; i < c.pools.size(); ++i) {
    if (!c.pools[i].enabled) continue;
    auto pool = resolve_one(c, i, c.pools[i], false);
    if (!pool)
      return make_error("pool " + std::to_string(i) + " (" + mask_url_secret(c.pools[i].url) +
                        "): " + pool.error().message);
    out.push_back(*pool);
  }
  if (out.empty()) return make_error("pools: every pool is disabled (enabled: false)");
  return out;
}

stratum::PoolEndpoint to_endpoint(const ResolvedPool& p) {
  stratum::PoolEndpoint e;
  e.url = p.url;
  e.user = p.user;
  e.password = p.pass;
  e.tls_ca = p.tls_ca;
  e.tls_insecure = p.tls_insecure;
  e.tls_fingerprint = p.tls_fingerprint;
  e.suggest_difficulty = p.suggest_difficulty;
  return e;
}

std::string describe_pool(const ResolvedPool& p) {
  std::string out = (p.url.empty() ? std::string("built-in local pool") : mask_url_secret(p.url)) +
                    " as " + p.user;
  if (p.tls) {
    out += ", TLS: ";
    out += p.tls_insecure               ? "certificate verification OFF (--pool-insecure)"
           : !p.tls_fingerprint.empty() ? "pinned to SHA-256 " + p.tls_fingerprint
           : !p.tls_ca.empty()          ? "system CAs + " + p.tls_ca
                                        : "system CAs";
  }
  if (p.suggest_difficulty > 0) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%g", p.suggest_difficulty);
    out += std::string(", suggest-difficulty ") + buffer;
  }
  return out;
}

Result<std::string> normalize_fingerprint(const std::string& text) {
  std::string hex;
  for (char ch : text) {
    if (ch == ':') continue;
    if (!std::isxdigit(static_cast<unsigned char>(ch)))
      return make_error(quoted(text) + " is not hex (64 digits, colons allowed)");
    hex += static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  }
  if (hex.size() != 64)
    return make_error(quoted(text) + " has " + std::to_string(hex.size()) +
                      " hex digits; a SHA-256 pin has 64");
  return hex;
}

}  // namespace ih::agent
