// Benchmark mode: how fast this machine hashes, measured, never assumed.
#pragma once

#include <cstdint>

namespace ih::bench {

struct RateResult {
  std::uint64_t hashes = 0;
  double seconds = 0;
  double hashes_per_second() const { return seconds > 0 ? hashes / seconds : 0; }
};

// Hashes a seed-derived synthetic header with the portable reference sha256d for about
// `seconds` on one thread.
RateResult measure_reference_rate(double seconds, std::uint64_t seed);

}  // namespace ih::bench
