#include "engine/engine.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <thread>

#include "ih/kernels/cpu_dispatch.hpp"
#include "ih/kernels/gpu_scanner.hpp"

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
      pool_tracker_(pool_urls(options_.pool)) {}

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
    self->dispatcher_.set_job(job);
    if (self->observer_.on_job) self->observer_.on_job(job);
  };
  engine->ledger_.on_settled([self](const stratum::SubmitResult& result, double difficulty) {
    if (difficulty > 0) self->best_.add(difficulty);
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
