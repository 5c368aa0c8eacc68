#include "engine/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "config/pool_url.hpp"
#include "ih/kernels/cpu_dispatch.hpp"
#include "ih/kernels/gpu_scanner.hpp"
#include "ih/stratum/protocol/target.hpp"

namespace ih::agent {

namespace {

std::vector<std::string> pool_urls(const stratum::PoolClientOptions& options) {
  std::vector<std::string> urls;
  for (const auto& p : options.pools) urls.push_back(p.url);
  return urls;
}

}  // namespace

Engine::Engine(EngineOptions options, std::size_t devices, EngineObserver observer)
    : options_(std::move(options)),
      observer_(std::move(observer)),
      started_(SteadyClock::now()),
      dispatcher_(devices),
      ledger_(devices, options_.pool.pools.size()),
      meter_(devices, started_),
      gate_(dispatcher_, ledger_),
      pool_tracker_(pool_urls(options_.pool)),
      guard_(options_.max_share_rate) {
  for (std::size_t p = 0; p < options_.pool.pools.size(); ++p) {
    health_.emplace_back();
    health_.back().pool = p;
  }
}

Result<std::unique_ptr<Engine>> Engine::create(EngineOptions options, PoolLinkFactory pools,
                                               EngineObserver observer) {
  if (options.pool.pools.empty()) return make_error("no pool to mine for");
  unsigned threads = 0;
  std::optional<kernels::CpuScannerChoice> choice;
  if (options.cpu) {
    // "auto" benchmarks the runnable scanners briefly and takes the fastest.
    auto chosen =
        kernels::choose_cpu_scanner(options.cpu_kernel == "auto" ? "" : options.cpu_kernel);
    if (!chosen) return chosen.error();
    choice = std::move(*chosen);
    if (!choice->rates.empty()) spdlog::info("{}", kernels::describe_self_benchmark(*choice));
    threads =
        options.pin_to.empty() ? options.threads : static_cast<unsigned>(options.pin_to.size());
    if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  }
  const std::size_t total = threads + options.gpus.size();
  if (total == 0) return make_error("no device to mine on (--no-cpu and no GPU selected)");
  std::unique_ptr<Engine> engine(new Engine(std::move(options), total, std::move(observer)));
  for (unsigned i = 0; i < threads; ++i) {
    DeviceSlot slot;
    slot.index = i;
    slot.count = total;
    slot.nonces_per_unit = engine->options_.nonces_per_unit;
    if (!engine->options_.pin_to.empty() && engine->options_.pin)
      slot.on_thread_start = [pin = engine->options_.pin, pu = engine->options_.pin_to[i]] {
        return pin(pu);
      };
    engine->devices_.push_back(std::make_unique<CpuDevice>(
        slot, choice->entry.make(), engine->dispatcher_, engine->gate_, engine->meter_));
  }
  for (std::size_t g = 0; g < engine->options_.gpus.size(); ++g) {
    const kernels::ScannerEntry& entry = engine->options_.gpus[g];
    auto scanner = entry.make();
    const auto* gpu = dynamic_cast<const kernels::GpuScanner*>(scanner.get());
    if (gpu == nullptr) return make_error(entry.name + ": not a GPU scanner");
    if (!gpu->error().empty()) return make_error(entry.name + ": " + gpu->error());
    DeviceSlot slot;
    slot.index = threads + g;
    slot.count = total;
    slot.nonces_per_unit = engine->options_.nonces_per_unit;
    slot.label = entry.name;
    slot.fixed_chunk = gpu->preferred_batch();
    spdlog::info("mining on {}: {}", entry.name, gpu->details());
    engine->devices_.push_back(std::make_unique<CpuDevice>(
        slot, std::move(scanner), engine->dispatcher_, engine->gate_, engine->meter_));
  }
  Engine* self = engine.get();
  stratum::PoolEvents events;
  events.on_job = [self](const stratum::Job& job) {
    self->dispatch(&job);
    if (self->observer_.on_job) self->observer_.on_job(job);
  };
  if (self->observer_.on_share)
    self->gate_.on_share_sent([self](std::uint64_t id, SubmittedShare share) {
      self->submitted_.add(id, std::move(share));
    });
  engine->ledger_.on_settled([self](const stratum::SubmitResult& result, double difficulty) {
    if (difficulty > 0) self->best_.add(difficulty);
    if (self->observer_.on_share) self->report_share(result);
    if (self->observer_.on_result)
      self->observer_.on_result(result, difficulty, self->ledger_.snapshot());
  });
  events.on_submit_result = [self](const stratum::SubmitResult& result) {
    self->ledger_.result(result);
  };
  events.on_connection = [self](std::size_t pool, bool connected, std::string_view reason) {
    self->pool_tracker_.connection(pool, connected, reason);
    if (self->observer_.on_connection) self->observer_.on_connection(pool, connected, reason);
  };
  events.on_health = [self](const stratum::PoolHealth& h) {
    {
      std::lock_guard lock(self->health_mutex_);
      if (h.pool < self->health_.size()) self->health_[h.pool] = h;
    }
    if (self->observer_.on_health) self->observer_.on_health(h);
  };
  engine->gate_.on_submitted([self] {
    if (self->guard_.count_share(SteadyClock::now())) self->dispatch(nullptr);
  });
  events.on_pool_message = [](std::string_view text) { spdlog::info("pool says: {}", text); };
  engine->pool_ = pools(engine->options_.pool, std::move(events));
  if (!engine->pool_) return make_error("could not create the pool link");
  if (choice)
    spdlog::info("mining on {} CPU thread(s) with the '{}' kernel ({})", threads,
                 choice->entry.name, choice->why);
  return engine;
}

Engine::~Engine() {
  if (running_) stop();
}

void Engine::start() {
  if (running_) return;
  running_ = true;
  gate_.attach(pool_.get());
  for (auto& device : devices_) device->start();
  pool_->start();
}

ShutdownReport Engine::stop() {
  ShutdownReport report;
  if (!running_) return report;
  running_ = false;
  for (auto& device : devices_) device->stop();
  dispatcher_.stop();
  report.pending_at_stop = ledger_.pending();
  const auto begin = SteadyClock::now();
  while (ledger_.pending() > 0 && SteadyClock::now() - begin < options_.reply_wait)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  report.waited = std::chrono::duration_cast<std::chrono::milliseconds>(SteadyClock::now() - begin);
  pool_->stop();  // whatever is still unanswered times out into the ledger
  gate_.attach(nullptr);
  return report;
}

void Engine::dispatch(const stratum::Job* fresh) {
  std::lock_guard lock(dispatch_mutex_);
  if (fresh) pool_job_ = *fresh;
  if (!pool_job_) return;
  stratum::Job job = *pool_job_;
  const double local = guard_.local_difficulty(job.difficulty, hashrate_estimate());
  if (local > job.difficulty)
    if (auto target = stratum::difficulty_to_target(local)) {
      job.share_target = *target;
      if (job.difficulty != guarded_difficulty_) {  // once per pool difficulty
        guarded_difficulty_ = job.difficulty;
        spdlog::warn(
            "pool {}: difficulty {:.6g} would give more than {:.6g} shares/s at this hashrate; "
            "hashing at a local difficulty of {:.6g} (--pool-max-share-rate) and suggesting it",
            job.pool_index, job.difficulty, guard_.max_per_second(), local);
        if (pool_) pool_->suggest_difficulty(local);
      } else {
        spdlog::debug("share-rate guard: local difficulty now {:.6g}", local);
      }
      // Only hashes reaching the local target are found, so each share stands for `local`
      // difficulty: the ledger's accepted difficulty and the proofs credit that, not the pool's
      // lower one (which would under-count the hashrate by local / pool).
      job.difficulty = local;
    }
  dispatcher_.set_job(job);
}

double Engine::hashrate_estimate() const {
  const auto now = SteadyClock::now();
  const DeviceRates total = meter_.total(now);
  if (total.r10s) return *total.r10s;
  const double seconds = std::chrono::duration<double>(now - started_).count();
  return seconds > 0 ? static_cast<double>(total.total) / seconds : 0;
}

std::vector<stratum::PoolHealth> Engine::pool_health() const {
  std::lock_guard lock(health_mutex_);
  return health_;
}

void Engine::report_share(const stratum::SubmitResult& result) {
  auto share = submitted_.take(result.share_id);
  if (!share) return;
  SettledShare settled{std::move(*share), {}, {}, result};
  const std::size_t pool = settled.share.job->job.pool_index;
  if (pool < options_.pool.pools.size()) {
    settled.pool_url = mask_url_secret(options_.pool.pools[pool].url);
    settled.worker = options_.pool.pools[pool].user;
  }
  observer_.on_share(settled);
}

std::vector<std::string> Engine::device_names() const {
  std::vector<std::string> names;
  for (const auto& d : devices_) names.push_back(d->name());
  return names;
}

std::vector<DeviceDescription> Engine::describe_devices() const {
  std::vector<DeviceDescription> out;
  for (const auto& d : devices_) out.push_back(d->describe());
  return out;
}

const std::vector<std::uint64_t> Engine::units_started() const {
  std::vector<std::uint64_t> out;
  for (const auto& d : devices_) out.push_back(d->units_started());
  return out;
}

}  // namespace ih::agent
