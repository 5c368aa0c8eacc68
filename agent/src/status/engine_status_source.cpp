#include "status/engine_status_source.hpp"

#include <openssl/rand.h>

#include <algorithm>

#include "ih/build_info.hpp"
#include "ih/hex_encode.hpp"
#include "ih/hwdetect/cuda_devices.hpp"
#include "ih/hwdetect/topology.hpp"
#include "ih/stratum/client/pool_url.hpp"

namespace ih::agent::status {

namespace {

std::string random_id() {
  std::array<std::uint8_t, 8> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) return "0000000000000000";
  return hex_encode(bytes);
}

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// The pool's address when the URL names a literal one (the client does not expose the peer's).
std::optional<std::string> literal_ip(const std::string& host) {
  if (host.find_first_not_of("0123456789.") == std::string::npos ||
      host.find(':') != std::string::npos)
    return host;
  return std::nullopt;
}

}  // namespace

EngineStatusSource::EngineStatusSource(Engine& engine, EngineStatusOptions options)
    : engine_(engine),
      options_(std::move(options)),
      id_(random_id()),
      cpu_(hwdetect::detect_cpu()) {
  if (auto topology = hwdetect::Topology::detect()) cores_ = topology->summary().cores;
  const auto devices = engine_.describe_devices();
  if (std::any_of(devices.begin(), devices.end(), [](const auto& d) { return d.kind == "cuda"; })) {
    nvml_ = std::make_unique<hwdetect::GpuHealthMonitor>();
    const hwdetect::CudaReport cuda = hwdetect::detect_cuda();
    for (std::size_t i = 0; i < devices.size(); ++i)
      for (const auto& c : cuda.devices)
        if (devices[i].name == "cuda:" + std::to_string(c.index)) cuda_uuid_[i] = c.uuid;
  }
  sample();
  sampler_ = std::thread([this] { run_sampler(); });
}

EngineStatusSource::~EngineStatusSource() {
  {
    std::lock_guard lock(stop_mutex_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (sampler_.joinable()) sampler_.join();
}

void EngineStatusSource::run_sampler() {
  std::unique_lock lock(stop_mutex_);
  while (!stop_cv_.wait_for(lock, options_.sample_every, [&] { return stopping_; })) {
    lock.unlock();
    sample();
    lock.lock();
  }
}

void EngineStatusSource::sample() {
  const DeviceRates total = engine_.meter().total();
  std::map<std::size_t, hwdetect::GpuHealth> health;
  if (nvml_ && nvml_->available()) {
    const auto samples = nvml_->sample();
    for (const auto& [index, uuid] : cuda_uuid_)
      health[index] = hwdetect::health_for(samples, uuid);
  }
  std::lock_guard lock(mutex_);
  history_.push_back({unix_now(), total.r10s});
  while (history_.size() > options_.history_points) history_.pop_front();
  if (total.r10s) highest_10s_ = std::max(highest_10s_, *total.r10s);
  health_ = std::move(health);
}

StatusSnapshot EngineStatusSource::snapshot() const {
  StatusSnapshot s;
  const auto now = SteadyClock::now();
  s.version = build_info::kVersion;
  s.worker_id = options_.worker_id;
  s.user_agent = std::string("infinite-hashes/") + build_info::kVersion;
  s.uptime_seconds = std::chrono::duration<double>(now - engine_.started()).count();
  s.total = engine_.meter().total(now);
  s.ledger = engine_.ledger().snapshot();
  s.best = engine_.best_difficulties();
  s.cpu = cpu_;
  s.cpu_cores = cores_;
  s.paused = engine_.paused();
  if (const auto job = engine_.dispatcher().current()) {
    s.job.present = true;
    s.job.id = job->job.fields.job_id;
    s.job.difficulty = job->job.difficulty;
    s.job.pool = job->job.pool_index;
    s.job.age_seconds = std::chrono::duration<double>(now - job->received).count();
  }
  const auto devices = engine_.describe_devices();
  {
    std::lock_guard lock(mutex_);
    if (s.total.r10s) highest_10s_ = std::max(highest_10s_, *s.total.r10s);
    s.highest_10s = highest_10s_;
    for (std::size_t i = 0; i < devices.size(); ++i) {
      DeviceStatus d;
      d.description = devices[i];
      d.rates = engine_.meter().device(i, now);
      if (i < s.ledger.devices.size()) d.shares = s.ledger.devices[i];
      if (auto it = health_.find(i); it != health_.end()) d.health = it->second;
      s.devices.push_back(std::move(d));
    }
  }
  const auto pools = engine_.pool_states();
  for (std::size_t p = 0; p < pools.size(); ++p) {
    PoolStatus out;
    out.url = pools[p].url;
    if (auto parsed = stratum::parse_pool_url(pools[p].url)) {
      out.tls = parsed->tls;
      out.ip = literal_ip(parsed->host);
    }
    out.connected = pools[p].connected;
    out.active = s.job.present && s.job.pool == p;
    if (pools[p].connected_since)
      out.connected_seconds =
          std::chrono::duration<double>(now - *pools[p].connected_since).count();
    out.connects = pools[p].connects;
    out.failures = pools[p].failures;
    out.last_error = pools[p].last_error;
    if (p < s.ledger.pools.size()) out.shares = s.ledger.pools[p];
    s.pools.push_back(std::move(out));
  }
  return s;
}

std::vector<HashrateSample> EngineStatusSource::history() const {
  std::lock_guard lock(mutex_);
  return {history_.begin(), history_.end()};
}

void EngineStatusSource::set_paused(bool paused) {
  if (paused)
    engine_.pause();
  else
    engine_.resume();
}

}  // namespace ih::agent::status
