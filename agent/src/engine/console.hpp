// What the miner reads: speed lines, per-device lines, share results, the exit summary.
// Pure formatting; the mine command decides when to print.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "engine/ledger.hpp"
#include "engine/meter.hpp"
#include "ih/stratum/client/pool_client.hpp"

namespace ih::agent {

// "57.1" style numbers in the unit picked for `reference` (H/s .. TH/s); "n/a" when empty.
struct RateUnit {
  double divisor = 1;
  const char* name = "H/s";
};
RateUnit pick_rate_unit(double reference_hashes_per_second);

// speed 10s/60s/15m 57.1 56.9 n/a MH/s max 57.3
std::string format_speed_line(const DeviceRates& total, double max_10s);
// cpu0 (reference) 10s/60s/15m 1.02 1.01 n/a MH/s  A 12 R 0 S 1 HW 0
std::string format_device_line(const std::string& name, const DeviceRates& rates,
                               const ShareBuckets& shares);
// accepted (12/0) diff 0.0012 pool 0 (8 ms)  |  rejected (12/1) diff ... "reason"
std::string format_result_line(const stratum::SubmitResult& result, double difficulty,
                               const ShareBuckets& total, bool color);
// Multi-line summary printed at exit.
std::string format_summary(std::chrono::duration<double> uptime, const DeviceRates& total,
                           const LedgerSnapshot& ledger);

}  // namespace ih::agent
