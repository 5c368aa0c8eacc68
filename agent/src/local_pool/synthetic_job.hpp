// Valid synthetic work for the built-in local pool: a fresh prevhash and coinbase every job.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "ih/stratum/protocol/header.hpp"

namespace ih::agent::local_pool {

inline constexpr std::size_t kExtranonce1Size = 4;
inline constexpr std::size_t kExtranonce2Size = 4;
inline constexpr std::uint32_t kServerVersionMask = 0x1fffe000;

class SyntheticJobs {
 public:
  explicit SyntheticJobs(std::uint64_t seed, std::size_t extranonce2_size = kExtranonce2Size);
  // A new job (id = hex counter) with a random prevhash, a coinbase at a new height, a short
  // random merkle branch, version 0x20000000, ntime now.
  stratum::JobFields next(bool clean);

 private:
  std::mt19937_64 rng_;
  std::size_t extranonce2_size_;
  std::uint32_t height_ = 1;
  std::uint64_t counter_ = 0;
};

}  // namespace ih::agent::local_pool
