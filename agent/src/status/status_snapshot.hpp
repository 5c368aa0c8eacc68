// Everything the status endpoint shows, copied out of the engine in one go (DESIGN §7): the
// server and its formatters only ever read this, never the engine's live state.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/device.hpp"
#include "engine/ledger.hpp"
#include "engine/meter.hpp"
#include "ih/hwdetect/cpu.hpp"
#include "ih/hwdetect/gpu_health.hpp"

namespace ih::agent::status {

struct DeviceStatus {
  DeviceDescription description;
  DeviceRates rates;
  ShareBuckets shares;
  std::optional<hwdetect::GpuHealth> health;  // a CUDA device NVML knows; fields may be empty
};

struct PoolStatus {
  std::string url;                // secrets masked
  std::optional<std::string> ip;  // the host when the URL names a literal address
  bool tls = false;
  bool connected = false;
  bool active = false;                      // the pool whose job the devices hash
  std::optional<double> connected_seconds;  // how long it has been up
  std::uint64_t connects = 0;
  std::uint64_t failures = 0;
  std::string last_error;
  ShareBuckets shares;
};

struct JobStatus {
  bool present = false;
  std::string id;
  double difficulty = 0;
  std::size_t pool = 0;
  double age_seconds = 0;
};

struct StatusSnapshot {
  std::string version;     // "0.1.0"
  std::string worker_id;   // the pool user (a worker name, never a password)
  std::string user_agent;  // "infinite-hashes/0.1.0"
  double uptime_seconds = 0;
  DeviceRates total;
  double highest_10s = 0;  // the best 10 s total rate seen
  LedgerSnapshot ledger;
  std::vector<double> best;  // top difficulties, highest first
  std::vector<DeviceStatus> devices;
  std::vector<PoolStatus> pools;
  JobStatus job;
  hwdetect::CpuInfo cpu;
  unsigned cpu_cores = 0;  // physical cores; 0 when unknown
  bool paused = false;
};

// One point of the dashboard's hashrate chart.
struct HashrateSample {
  double unix_seconds = 0;
  std::optional<double> hashes_per_second;  // the 10 s total rate then
};

}  // namespace ih::agent::status
