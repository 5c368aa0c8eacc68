// infinite-hashes collect: the validator's end of --report-url (docs/collect.md).
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "collect/collect_service.hpp"
#include "config/pool_url.hpp"
#include "engine/signals.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "status/address_policy.hpp"

namespace ih::agent {

namespace {

struct CollectFlags {
  std::string bind = "127.0.0.1:8089";
  std::string data_dir;
  std::string keys;
  std::string tls_cert, tls_key;
  double retention_hours = 48;
  std::size_t max_body = 16u << 20;
  double rate_burst = 20;
  double rate_interval = 30;
  std::string pool_tag, payout_script;
  unsigned threads = 4;
};

int fail(const std::string& message) {
  std::fprintf(stderr, "infinite-hashes collect: %s\n", message.c_str());
  return 1;
}

int run_collect(const CollectFlags& f) {
  auto address = parse_bind_address(f.bind);
  if (!address) return fail("--bind " + address.error().message);
  if (f.tls_cert.empty() != f.tls_key.empty()) return fail("--tls-cert and --tls-key go together");
  collect::CollectOptions o;
  o.host = address->host;
  o.port = address->port;
  o.tls_cert = f.tls_cert;
  o.tls_key = f.tls_key;
  o.data_dir = f.data_dir;
  o.keys_file = f.keys;
  o.retention = std::chrono::seconds(static_cast<long long>(f.retention_hours * 3600));
  o.max_body = f.max_body;
  o.threads = f.threads;
  o.ingest.rate_burst = f.rate_burst;
  o.ingest.rate_interval =
      std::chrono::milliseconds(static_cast<long long>(f.rate_interval * 1000));
  o.ingest.verify.pool_tag = f.pool_tag;
  if (!f.payout_script.empty()) {
    auto script = stratum::from_hex(f.payout_script);
    if (!script || script->empty()) return fail("--payout-script is not hex");
    o.ingest.verify.payout_script = *script;
  }
  // Miners must reach it, so any address may be bound. Reports are signed end to end and need
  // no TLS; the answers validators read are not, so off loopback TLS is recommended.
  if (!status::is_loopback_host(o.host) && o.tls_cert.empty())
    spdlog::warn(
        "collect: serving plain HTTP on {}: reports are signed, but /api/v1/workers answers "
        "can be altered on the way; use --tls-cert/--tls-key or a TLS proxy off this host",
        o.host);
  if (f.keys.empty())
    spdlog::warn("collect: no --keys file: every agent key is accepted, workers are unbound");
  block_control_signals();
  auto service = collect::CollectService::open(std::move(o));
  if (!service) return fail(service.error().message);
  auto port = (*service)->start();
  if (!port) return fail(port.error().message);
  spdlog::info("collect: serving {} (data in {})", (*service)->url(), f.data_dir);
  std::printf("collect: listening on %s\n", (*service)->url().c_str());
  std::fflush(stdout);
  while (wait_for_signal(std::chrono::milliseconds(500)) != SignalEvent::stop) {
  }
  (*service)->stop();
  spdlog::info("collect: stopped");
  return 0;
}

}  // namespace

CommandMain add_collect_command(CLI::App& app) {
  auto f = std::make_shared<CollectFlags>();
  CLI::App* sub = app.add_subcommand(
      "collect",
      "Validator side: receive signed window reports from miners (--report-url), verify each "
      "on arrival and serve GET /api/v1/workers from the verified proofs");
  sub->add_option("--bind", f->bind, "host:port to listen on (port 0: any free port)")
      ->capture_default_str();
  sub->add_option("--data-dir", f->data_dir, "Folder of the database (collect.sqlite)")->required();
  sub->add_option("--keys", f->keys,
                  "TOML file: [hotkeys] <SS58 hotkey> = [\"<agent public key hex>\", ...]")
      ->check(CLI::ExistingFile);
  sub->add_option("--tls-cert", f->tls_cert, "Serve HTTPS: PEM certificate")
      ->check(CLI::ExistingFile);
  sub->add_option("--tls-key", f->tls_key, "PEM private key for --tls-cert")
      ->check(CLI::ExistingFile);
  sub->add_option("--retention-hours", f->retention_hours,
                  "Keep reports, refusals and conflicts this long")
      ->check(CLI::Range(1.0, 24.0 * 365))
      ->capture_default_str();
  sub->add_option("--max-body", f->max_body, "Largest report accepted, bytes")
      ->check(CLI::Range(std::size_t{4096}, std::size_t{1} << 30))
      ->capture_default_str();
  sub->add_option("--rate-burst", f->rate_burst, "Reports one agent key may send at once")
      ->check(CLI::Range(1.0, 1e6))
      ->capture_default_str();
  sub->add_option("--rate-interval", f->rate_interval,
                  "Seconds per further report of one agent key")
      ->check(CLI::Range(0.001, 86400.0))
      ->capture_default_str();
  sub->add_option("--pool-tag", f->pool_tag, "Bytes every proof's coinbase must contain");
  sub->add_option("--payout-script", f->payout_script,
                  "An output script (hex) every proof's coinbase must pay");
  sub->add_option("--threads", f->threads, "HTTP worker threads")
      ->check(CLI::Range(1u, 256u))
      ->capture_default_str();
  return [f] { return run_collect(*f); };
}

}  // namespace ih::agent
