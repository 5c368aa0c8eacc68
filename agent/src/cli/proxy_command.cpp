// `infinite-hashes proxy`: the stratum proxy for ASIC fleets (docs/proxy.md). Reads pools.toml,
// serves miners on --bind, reloads on SIGHUP without dropping a miner, serves its status.
#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "cli/proof_session.hpp"
#include "cli/proxy_local_miner.hpp"
#include "cli/proxy_proofs.hpp"
#include "config/api_config.hpp"
#include "config/mine_config.hpp"
#include "config/pool_url.hpp"
#include "config/proof_config.hpp"
#include "engine/signals.hpp"
#include "ih/build_info.hpp"
#include "proxy/hashrate_text.hpp"
#include "proxy/proxy_config.hpp"
#include "proxy/proxy_routes.hpp"
#include "proxy/proxy_service.hpp"
#include "status/status_server.hpp"

namespace ih::agent {

namespace {

struct ProxyFlags {
  std::string bind = "0.0.0.0:3333";
  std::string config_file;
  double shares_per_minute = 20;
  double start_difficulty = 1024;
  double min_difficulty = 1.0 / 65536;
  double stats_interval = 60;
  bool dry_run = false;
  bool cpu = false;
  bool gpu = false;
  std::vector<int> cuda_devices;
  std::vector<int> opencl_devices;
  unsigned threads = 0;
  std::string cpu_kernel = "auto";
  std::string local_worker;
  ApiConfig api;
  ProofConfig proof;
  CLI::App* sub = nullptr;
};

void log_warnings(const std::vector<std::string>& warnings) {
  for (const auto& w : warnings) spdlog::warn("{}", w);
}

std::string describe(const proxy::ProxyConfig& c) {
  std::string out;
  for (const auto& p : c.main) {
    out += "\n  main   " + p.name + "  " + p.url() + "  as " + p.worker_id + ".<rig>  ";
    out += p.target_hashrate ? "target " + proxy::format_hashrate(*p.target_hashrate)
                             : "weight " + std::to_string(p.weight);
  }
  if (c.backup) out += "\n  backup " + c.backup->name + "  " + c.backup->url();
  return out;
}

int run_proxy(ProxyFlags& f) {
  auto bind = parse_bind_address(f.bind);
  if (!bind) {
    std::fprintf(stderr, "infinite-hashes proxy: --bind %s\n", bind.error().message.c_str());
    return 1;
  }
  auto loaded = proxy::load_proxy_config(f.config_file);
  if (!loaded) {
    std::fprintf(stderr, "infinite-hashes proxy: %s\n", loaded.error().message.c_str());
    return 1;
  }
  log_warnings(loaded->warnings);
  ApiConfig api = ApiConfig{};
  apply_api_environment(api, read_ih_environment());
  auto given = [&](const char* name) { return f.sub->count(name) > 0; };
  if (given("--api-bind")) {
    api.bind = f.api.bind;
    api.bind_given = true;
  }
  if (given("--api-token")) api.token = f.api.token;
  if (given("--api-tls-cert")) api.tls_cert = f.api.tls_cert;
  if (given("--api-tls-key")) api.tls_key = f.api.tls_key;
  if (auto ok = validate_api_config(api); !ok) {
    std::fprintf(stderr, "infinite-hashes proxy: %s\n", ok.error().message.c_str());
    return kExitApiRefused;
  }
  if (f.shares_per_minute <= 0 || f.start_difficulty <= 0 || f.min_difficulty <= 0) {
    std::fprintf(stderr,
                 "infinite-hashes proxy: --shares-per-minute, --start-difficulty and "
                 "--min-difficulty must be positive\n");
    return 1;
  }
  ProofConfig proof_settings;
  if (auto env = apply_proof_environment(proof_settings, read_ih_environment()); !env) {
    std::fprintf(stderr, "infinite-hashes proxy: %s\n", env.error().message.c_str());
    return 1;
  }
  apply_given_proof_flags(*f.sub, f.proof, proof_settings);
  auto proof_config = validate_proof_config(proof_settings);
  if (!proof_config) {
    std::fprintf(stderr, "infinite-hashes proxy: %s\n", proof_config.error().message.c_str());
    return 1;
  }
  spdlog::info("proxy config {}:{}", f.config_file, describe(loaded->config));
  if (f.dry_run) return 0;

  // Every forwarded share the pool accepted becomes a proof under the name the pool saw.
  std::unique_ptr<ProofSession> proofs;
  if (!start_proofs(*proof_config, proofs)) return 1;

  block_control_signals();
  proxy::ProxyOptions o;
  o.host = bind->host;
  o.port = bind->port;
  o.config = loaded->config;
  o.shares_per_minute = f.shares_per_minute;
  o.initial_difficulty = f.start_difficulty;
  o.min_difficulty = f.min_difficulty;
  if (proofs)
    o.on_forwarded = [p = proofs.get()](const proxy::ForwardedShare& share) {
      p->on_share(settled_from_forwarded(share));
    };
  auto service = proxy::ProxyService::start(std::move(o));
  if (!service) {
    std::fprintf(stderr, "infinite-hashes proxy: %s\n", service.error().message.c_str());
    return 1;
  }
  std::unique_ptr<status::StatusServer> http;
  if (api.bind != "off") {
    const auto address = parse_bind_address(api.bind);
    status::StatusServerOptions so;
    so.host = address->host;
    so.port = address->port;
    so.token = api.token;
    so.tls_cert_file = api.tls_cert;
    so.tls_key_file = api.tls_key;
    http = std::make_unique<status::StatusServer>(so);
    for (auto& r :
         proxy::proxy_routes([s = service->get()] { return s->status(); }, build_info::kVersion))
      http->add_route(std::move(r));
    if (proofs)  // GET /api/v1/workers and the proof routes, from what passed through
      for (auto& r : proofs->api_routes()) http->add_route(std::move(r));
    if (auto port = http->start(); !port) {
      if (api.bind_given) {
        std::fprintf(stderr, "infinite-hashes proxy: %s\n", port.error().message.c_str());
        return 1;
      }
      spdlog::warn("{}; the proxy goes on without it", port.error().message);
      http.reset();
    } else {
      spdlog::info("status API: {}2/workers, {}2/pools, {}metrics", http->url(), http->url(),
                   http->url());
    }
  }

  std::unique_ptr<Engine> local;
  const bool gpu = f.gpu || !f.cuda_devices.empty() || !f.opencl_devices.empty();
  if (f.cpu || gpu) {
    LocalMinerOptions lo;
    lo.cpu = f.cpu;
    lo.gpu = gpu;
    lo.cuda_devices = f.cuda_devices;
    lo.opencl_devices = f.opencl_devices;
    lo.proxy_host = bind->host;
    lo.proxy_port = (*service)->port();
    lo.threads = f.threads;
    lo.cpu_kernel = f.cpu_kernel;
    lo.worker = f.local_worker;
    auto started = start_local_miner(lo);
    if (!started) {
      spdlog::error("local mining: {}", started.error().message);
      if (http) http->stop();
      (*service)->stop();
      return 1;
    }
    local = std::move(*started);
  }

  auto next = std::chrono::steady_clock::now();
  for (;;) {
    const SignalEvent event = wait_for_signal(std::chrono::milliseconds(250));
    if (event == SignalEvent::stop) break;
    if (event == SignalEvent::reload) {
      auto again = proxy::load_proxy_config(f.config_file);
      if (!again) {
        spdlog::error("SIGHUP: {} (the running config stays)", again.error().message);
      } else {
        log_warnings(again->warnings);
        spdlog::info("SIGHUP: applying {}:{}", f.config_file, describe(again->config));
        (*service)->reload(again->config);
      }
    }
    const auto now = std::chrono::steady_clock::now();
    if (f.stats_interval > 0 && now >= next) {
      next = now + std::chrono::milliseconds(static_cast<long long>(f.stats_interval * 1000));
      const auto s = (*service)->status();
      double rate = 0;
      for (const auto& w : s.workers) rate += w.hashrate.value_or(0);
      std::string split;
      for (const auto& p : s.pools)
        split += "  " + p.name + ": " + std::to_string(p.workers) + " worker(s) " +
                 proxy::format_hashrate(p.assigned_hashrate) +
                 (p.target_hashrate ? " of " + proxy::format_hashrate(*p.target_hashrate) : "") +
                 (p.usable ? "" : " (down)");
      spdlog::info("proxy: {} worker(s), {} estimated;{}", s.workers.size(),
                   proxy::format_hashrate(rate), split);
    }
  }
  spdlog::info("proxy: stopping");
  if (local) local->stop();  // its last shares still go through the proxy
  if (http) http->stop();
  (*service)->stop();
  proofs.reset();  // the last partial window's report, the log synced
  return 0;
}

}  // namespace

CommandMain add_proxy_command(CLI::App& app) {
  auto flags = std::make_shared<ProxyFlags>();
  auto* sub = app.add_subcommand(
      "proxy", "Stratum proxy for ASIC fleets: verified shares, target-hashrate routing");
  flags->sub = sub;
  sub->add_option("--bind", flags->bind, "Where miners connect, HOST:PORT")->capture_default_str();
  sub->add_option("-c,--config", flags->config_file, "pools.toml (the subnet tooling's keys)")
      ->required();
  sub->add_option("--shares-per-minute", flags->shares_per_minute,
                  "Per-worker vardiff aims at this share rate")
      ->capture_default_str();
  sub->add_option("--start-difficulty", flags->start_difficulty,
                  "A new miner's first difficulty (never above the pool's)")
      ->capture_default_str();
  sub->add_option("--min-difficulty", flags->min_difficulty,
                  "Vardiff, suggest_difficulty and minimum-difficulty floor")
      ->capture_default_str();
  sub->add_option("--stats-interval", flags->stats_interval, "Seconds between status lines")
      ->capture_default_str();
  sub->add_flag("--dry-run", flags->dry_run, "Validate the config, print it and exit");
  sub->add_option("--api-bind", flags->api.bind,
                  "Status API address HOST:PORT, or off (port 0: any free one)")
      ->capture_default_str();
  sub->add_option("--api-token", flags->api.token,
                  "Bearer token for the status API (env IH_API_TOKEN); needed off loopback");
  sub->add_option("--api-tls-cert", flags->api.tls_cert, "Serve the status API over HTTPS: PEM");
  sub->add_option("--api-tls-key", flags->api.tls_key, "PEM private key for --api-tls-cert");
  add_proof_options(*sub, flags->proof);
  sub->add_flag("--cpu", flags->cpu,
                "Mine on this machine's CPU too, as one more downstream worker (default off)");
  sub->add_flag("--gpu", flags->gpu,
                "Mine on this machine's GPUs too (every usable one), in the same local worker");
  sub->add_option("--cuda-devices", flags->cuda_devices,
                  "Only these CUDA devices, e.g. 0,1 (implies --gpu)")
      ->delimiter(',');
  sub->add_option("--opencl-devices", flags->opencl_devices,
                  "Only these OpenCL devices, by their order in `devices` (implies --gpu; CPU "
                  "devices only when listed)")
      ->delimiter(',');
  sub->add_option("-t,--threads", flags->threads, "CPU threads with --cpu (0: one per core)");
  sub->add_option("--cpu-kernel", flags->cpu_kernel, "CPU scanner with --cpu (auto, sha-ni, ...)")
      ->capture_default_str();
  sub->add_option("--local-worker", flags->local_worker,
                  "Worker name of the local CPU/GPUs (default local.<hostname>)");
  return [flags] { return run_proxy(*flags); };
}

}  // namespace ih::agent
