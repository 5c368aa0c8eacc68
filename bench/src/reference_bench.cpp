#include "ih/bench/reference_bench.hpp"

#include <chrono>
#include <random>

#include "ih/kernels/work.hpp"

namespace ih::bench {

RateResult measure_reference_rate(double seconds, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Header80 header{};
  for (auto& b : header) b = static_cast<std::uint8_t>(rng());
  const kernels::Work work = kernels::make_work(header, Uint256::max());

  using Clock = std::chrono::steady_clock;
  const auto start = Clock::now();
  const auto deadline = start + std::chrono::duration<double>(seconds);
  RateResult result;
  std::uint32_t nonce = static_cast<std::uint32_t>(rng());
  std::uint8_t sink = 0;
  constexpr std::uint32_t kBatch = 4096;
  do {
    for (std::uint32_t i = 0; i < kBatch; ++i) sink ^= kernels::reference_hash(work, nonce++)[31];
    result.hashes += kBatch;
  } while (Clock::now() < deadline);
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  // Keep the hashing observable so the compiler cannot drop it.
  volatile std::uint8_t observed = sink;
  (void)observed;
  return result;
}

}  // namespace ih::bench
