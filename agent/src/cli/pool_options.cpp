#include "cli/pool_options.hpp"

#include <CLI/CLI.hpp>

#include <map>
#include <string>

#include "config/mine_config.hpp"
#include "config/pool_url.hpp"
#include "config/quoted.hpp"

namespace ih::agent {

namespace {

// Option names as CLI11 reports them (the long name).
constexpr const char* kUrl = "--url";
constexpr const char* kSettings[] = {"--user",
                                     "--pass",
                                     "--hotkey",
                                     "--worker",
                                     "--subaccount",
                                     "--pool-ca",
                                     "--pool-insecure",
                                     "--pool-fingerprint",
                                     "--suggest-difficulty"};

Result<bool> set(PoolSettings& s, const std::string& name, const std::string& value) {
  if (name == "--user") s.user = value;
  if (name == "--pass") s.pass = value;
  if (name == "--hotkey") s.hotkey = value;
  if (name == "--worker") s.worker = value;
  if (name == "--subaccount") s.subaccount = value;
  if (name == "--pool-ca") s.tls_ca = value;
  if (name == "--pool-fingerprint") s.tls_fingerprint = value;
  if (name == "--pool-insecure") {
    bool on = true;
    if (!CLI::detail::lexical_cast(value, on))
      return make_error("--pool-insecure: " + agent::quoted(value) + " is not true or false");
    s.tls_insecure = on;
  }
  if (name == "--suggest-difficulty") {
    double d = 0;
    if (!CLI::detail::lexical_cast(value, d) || !(d >= 0))
      return make_error("--suggest-difficulty: " + agent::quoted(value) +
                        " is not a difficulty >= 0");
    s.suggest_difficulty = d;
  }
  return true;
}

}  // namespace

void add_pool_options(CLI::App& sub) {
  // No bound variables: read_pool_options() walks the results in parse order. One value per
  // occurrence (expected(1)), so each occurrence is one result.
  auto each = [](CLI::Option* o, const char* type = "TEXT") {
    o->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->type_name(type);
  };
  each(sub.add_option("-o,--url",
                      "Pool URL stratum+tcp://host:port or stratum+ssl://host:port; repeat for "
                      "failover, in order. Options after an -o apply to that pool, options "
                      "before the first -o to all (env IH_URL); none: the built-in local pool"));
  each(sub.add_option("-u,--user", "Worker name for the pool (env IH_USER)"));
  each(sub.add_option("-p,--pass", "Pool password (env IH_PASS)"));
  each(sub.add_option("--hotkey",
                      "SN89: your hotkey's SS58 address; with --worker the user becomes "
                      "<subaccount>.<hotkey>.<worker> (env IH_HOTKEY)"));
  each(sub.add_option("--worker", "SN89: worker name (env IH_WORKER)"));
  each(sub.add_option("--subaccount", "SN89: subaccount (default sn89auction)"));
  each(sub.add_option("--pool-ca", "TLS: PEM CA bundle trusted beside the system CAs"), "FILE");
  sub.add_flag("--pool-insecure")
      ->description("TLS: do not verify the pool's certificate at all (warns; for tests only)")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  each(sub.add_option("--pool-fingerprint",
                      "TLS: trust exactly the certificate with this SHA-256 (64 hex digits, "
                      "colons allowed), as `openssl x509 -fingerprint -sha256` prints it"),
       "HEX");
  each(sub.add_option("--suggest-difficulty",
                      "Send mining.suggest_difficulty D before authorize (0: never)"),
       "FLOAT");
}

Result<PoolCommandLine> read_pool_options(const CLI::App& sub) {
  PoolCommandLine out;
  std::map<const CLI::Option*, std::size_t> used;  // results consumed per option
  for (const CLI::Option* option : sub.parse_order()) {
    const std::string name = option->get_name();
    const bool is_url = name == kUrl;
    bool is_setting = false;
    for (const char* s : kSettings) is_setting |= name == s;
    if (!is_url && !is_setting) continue;
    const std::size_t i = used[option]++;
    if (i >= option->results().size())
      return make_error(name + ": could not be read in order (one value per occurrence)");
    const std::string& value = option->results()[i];
    if (is_url) {
      out.pools.push_back(PoolEntry{value, {}, true});
      continue;
    }
    PoolSettings& target = out.pools.empty() ? out.defaults : out.pools.back().settings;
    if (auto ok = set(target, name, value); !ok) {
      if (out.pools.empty()) return ok.error();
      return make_error("pool " + std::to_string(out.pools.size() - 1) + " (" +
                        mask_url_secret(out.pools.back().url) + "): " + ok.error().message);
    }
  }
  return out;
}

void apply_pool_command_line(MineConfig& config, const PoolCommandLine& line) {
  apply_pool_defaults(config, line.defaults);
  if (!line.pools.empty()) config.pools = line.pools;
}

}  // namespace ih::agent
