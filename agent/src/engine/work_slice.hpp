// How devices split the search space so no two ever hash the same header: device d of n takes
// work units d, d + n, d + 2n, ...; unit u is one extranonce2 value (u mod 2^(8*size)) and one
// rolled-version value (u / 2^(8*size), spread over the mask bits) with the full nonce range.
#pragma once

#include <cstddef>
#include <cstdint>

#include "ih/kernels/work.hpp"
#include "ih/stratum/client/pool_client.hpp"

namespace ih::agent {

struct WorkUnit {
  stratum::Bytes extranonce2;
  std::uint32_t version_bits = 0;  // rolled_version & mask, as submitted
  kernels::Work work;
};

inline std::uint64_t unit_index(std::size_t device, std::size_t devices, std::uint64_t k) {
  return static_cast<std::uint64_t>(device) + static_cast<std::uint64_t>(devices) * k;
}

// Scatters the low bits of `value` into the set bits of `mask` (lowest first).
std::uint32_t deposit_bits(std::uint64_t value, std::uint32_t mask);

WorkUnit make_work_unit(const stratum::Job& job, std::uint64_t unit);

// True when `next` builds exactly the headers `current` does (the same job re-sent, e.g. after
// a difficulty change): a device keeps its place instead of hashing its units again.
bool same_headers(const stratum::Job& current, const stratum::Job& next);

// The header a share claims, exactly as the pool will rebuild it.
Header80 share_header(const stratum::Job& job, const stratum::Bytes& extranonce2,
                      std::uint32_t version_bits, std::uint32_t nonce);

}  // namespace ih::agent
