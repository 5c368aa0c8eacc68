#include "cli/mine_run.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cstdio>

#include "cli/cpu_thread_plan.hpp"
#include "cli/pool_switch_log.hpp"
#include "cli/proof_session.hpp"
#include "config/pool_url.hpp"
#include "engine/console.hpp"
#include "engine/engine.hpp"
#include "engine/signals.hpp"
#include "ih/hwdetect/thread_plan.hpp"
#include "local_pool/local_pool.hpp"
#include "logging.hpp"
#include "status/status_endpoints.hpp"

namespace ih::agent {

namespace {

EngineObserver console_observer(bool color, const std::vector<ResolvedPool>& pools) {
  EngineObserver o;
  o.on_result = [color](const stratum::SubmitResult& r, double difficulty,
                        const LedgerSnapshot& l) {
    const std::string line = format_result_line(r, difficulty, l.total, color);
    if (r.outcome == stratum::SubmitOutcome::accepted)
      spdlog::info("{}", line);
    else
      spdlog::warn("{}", line);
  };
  o.on_job = [](const stratum::Job& job) {
    spdlog::debug("new job {} from pool {} diff {:.6g}{}", job.fields.job_id, job.pool_index,
                  job.difficulty, job.fields.clean_jobs ? " (clean)" : "");
  };
  // Called on the client's one I/O thread only.
  o.on_connection = [log = std::make_shared<PoolSwitchLog>(pools)](std::size_t pool, bool connected,
                                                                   std::string_view reason) {
    const PoolSwitchLine line = log->on_connection(pool, connected, reason);
    if (line.warning)
      spdlog::warn("{}", line.text);
    else
      spdlog::info("{}", line.text);
  };
  return o;
}

void print_devices(const Engine& engine) {
  const LedgerSnapshot l = engine.ledger().snapshot();
  const auto names = engine.device_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    spdlog::info("{}", format_device_line(names[i], engine.meter().device(i), l.devices[i]));
}

}  // namespace

int run_mining(const MineConfig& config, std::vector<ResolvedPool> pools, GpuSelection gpus) {
  block_control_signals();  // before any thread starts, so only the loop below sees them

  std::unique_ptr<local_pool::LocalPool> local;
  EngineOptions options;
  options.cpu = !config.no_cpu;
  if (options.cpu) {
    auto plan = plan_cpu_threads(config);
    if (!plan) {
      spdlog::error("{}", plan.error().message);
      return kExitBadConfig;
    }
    spdlog::info("CPU threads on {} ({})", hwdetect::format_cpu_list(plan->pus), plan->reason);
    options.pin_to = plan->pus;
    options.pin = [topology = plan->topology](unsigned pu) -> std::optional<std::string> {
      if (auto error = topology->pin_current_thread(pu)) return error->message;
      return std::nullopt;
    };
  }
  options.cpu_kernel = config.cpu_kernel;
  for (const auto& line : gpus.unavailable) spdlog::info("GPU not used: {}", line);
  options.gpus = std::move(gpus.devices);
  if (pools.size() == 1 && pools[0].url.empty()) {
    auto started = local_pool::LocalPool::start({});
    if (!started) {
      spdlog::error("cannot start the built-in local pool: {}", started.error().message);
      return 1;
    }
    local = std::move(*started);
    pools[0].url = local->url();
    spdlog::info("no pool given: mining against the built-in local pool (test shares only)");
  }
  for (const auto& pool : pools) {
    spdlog::info("pool {}: {}", pool.index, describe_pool(pool));
    if (pool.tls_insecure)
      spdlog::warn(
          "pool {}: TLS certificate verification is OFF (--pool-insecure): anyone on "
          "the network path can pose as this pool",
          pool.index);
    options.pool.pools.push_back(to_endpoint(pool));
  }
  options.pool.watchdog = to_pool_watchdog(config.watchdog);
  options.max_share_rate = config.watchdog.pool_max_share_rate;

  EngineObserver observer = console_observer(console_color(), pools);
  std::unique_ptr<ProofSession> proofs;
  if (!start_proofs(config.proof, proofs)) return kExitBadConfig;
  if (proofs) observer.on_share = [p = proofs.get()](const SettledShare& s) { p->on_share(s); };
  auto engine = Engine::create(options, make_stratum_pool_link, std::move(observer));
  if (!engine) {
    spdlog::error("{}", engine.error().message);
    return 1;
  }
  Engine& e = **engine;
  e.start();
  // The primary pool's login names this rig in /1/summary (worker_id).
  auto endpoints =
      status::StatusEndpoints::create(config.api, e, pools.empty() ? std::string() : pools[0].user);
  // Features add their routes here, before start(): the SN89 workers API and the reports.
  if (proofs)
    for (auto& route : proofs->api_routes()) endpoints->add_route(std::move(route));
  if (auto started = endpoints->start(); !started) {
    spdlog::error("{}", started.error().message);
    e.stop();
    return 1;
  }

  double max_10s = 0;
  auto next_speed = SteadyClock::now() + std::chrono::duration_cast<SteadyClock::duration>(
                                             std::chrono::duration<double>(config.stats_interval));
  auto next_devices = SteadyClock::now();
  const auto device_every = std::chrono::duration_cast<SteadyClock::duration>(
      std::chrono::duration<double>(config.device_stats_interval));
  next_devices += device_every;
  for (;;) {
    const SignalEvent event = wait_for_signal(std::chrono::milliseconds(250));
    if (event == SignalEvent::stop) break;
    if (event == SignalEvent::show_devices) print_devices(e);
    const auto now = SteadyClock::now();
    const DeviceRates total = e.meter().total(now);
    if (total.r10s) max_10s = std::max(max_10s, *total.r10s);
    if (now >= next_speed) {
      spdlog::info("{}", format_speed_line(total, max_10s));
      next_speed += std::chrono::duration_cast<SteadyClock::duration>(
          std::chrono::duration<double>(config.stats_interval));
    }
    if (config.device_stats_interval > 0 && now >= next_devices) {
      print_devices(e);
      next_devices += device_every;
    }
  }

  endpoints->stop();
  spdlog::info("stopping: devices first, then waiting up to 2 s for pool replies");
  const ShutdownReport report = e.stop();
  spdlog::info("{} share(s) were awaiting a reply at stop; waited {} ms", report.pending_at_stop,
               report.waited.count());
  const auto uptime = SteadyClock::now() - e.started();
  const LedgerSnapshot ledger = e.ledger().snapshot();
  const std::string summary = format_summary(uptime, e.meter().total(), ledger);
  if (local) local->stop();
  proofs.reset();  // the last partial window's report, the log synced
  std::printf("%s\n", summary.c_str());
  const auto names = e.device_names();
  for (std::size_t i = 0; i < names.size(); ++i)
    std::printf("summary: %s, %llu hashes\n",
                format_device_line(names[i], e.meter().device(i), ledger.devices[i]).c_str(),
                static_cast<unsigned long long>(e.meter().device(i).total));
  for (std::size_t p = 0; p < pools.size(); ++p) {
    const ShareBuckets b = p < ledger.pools.size() ? ledger.pools[p] : ShareBuckets{};
    std::printf("summary: pool %zu %s: accepted %llu rejected %llu stale %llu\n", pools[p].index,
                describe_pool(pools[p]).c_str(), static_cast<unsigned long long>(b.accepted),
                static_cast<unsigned long long>(b.rejected),
                static_cast<unsigned long long>(b.stale));
  }
  std::fflush(stdout);
  return 0;
}

}  // namespace ih::agent
