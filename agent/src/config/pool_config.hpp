// Pools as miners configure them: a failover list whose entries each carry their own login, TLS
// trust and difficulty suggestion, over defaults that apply to every pool. Flags, the config
// file's `pools` array and IH_* variables all land here; resolve_pools() checks and merges them.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "ih/result.hpp"

namespace ih::stratum {
struct PoolEndpoint;
}

namespace ih::agent {

struct MineConfig;

// What one pool may set for itself; unset: the default (MineConfig's top-level value) applies.
struct PoolSettings {
  std::optional<std::string> user;
  std::optional<std::string> pass;
  std::optional<std::string> hotkey;
  std::optional<std::string> worker;
  std::optional<std::string> subaccount;
  std::optional<std::string> tls_ca;           // PEM bundle added to the system store
  std::optional<bool> tls_insecure;            // no certificate verification (warns)
  std::optional<std::string> tls_fingerprint;  // SHA-256 of the leaf certificate: pins it
  std::optional<double> suggest_difficulty;    // > 0: mining.suggest_difficulty before authorize
};

struct PoolEntry {
  std::string url;
  PoolSettings settings;
  bool enabled = true;  // a disabled pool keeps its place (and index) but is never used
};

// One pool ready for the stratum client, after merging and checking.
struct ResolvedPool {
  std::size_t index = 0;  // position in the configured list, disabled entries included
  std::string url;        // empty: the built-in local pool (no pool configured)
  std::string user;       // the login: --user, or sn89auction.<hotkey>.<worker>
  std::string pass;
  bool tls = false;  // stratum+ssl:// / stratum+tls://
  std::string tls_ca;
  bool tls_insecure = false;
  std::string tls_fingerprint;  // 64 lower-case hex digits, or empty
  double suggest_difficulty = 0;
};

// Merges `over` into `base`: every value `over` sets replaces base's.
void merge_pool_settings(PoolSettings& base, const PoolSettings& over);

// Applies settings given as defaults (flags before the first -o, IH_* variables) to the
// top-level fields of `config`.
void apply_pool_defaults(MineConfig& config, const PoolSettings& defaults);

// The enabled pools in failover order, each merged with the defaults and checked: URL, login
// (an SS58 hotkey is verified), TLS options, difficulty. Errors name the pool by index and URL.
// No pool configured: one entry for the built-in local pool (empty url).
Result<std::vector<ResolvedPool>> resolve_pools(const MineConfig& config);

// What the stratum client needs of a resolved pool.
stratum::PoolEndpoint to_endpoint(const ResolvedPool& pool);

// "stratum+tcp://host:1 as user, TLS: CA file ca.pem, suggest-difficulty 1024" (secrets masked).
std::string describe_pool(const ResolvedPool& pool);

// A leaf-certificate pin as users paste it (hex, with or without colons, any case), as 64
// lower-case hex digits.
Result<std::string> normalize_fingerprint(const std::string& text);

}  // namespace ih::agent
