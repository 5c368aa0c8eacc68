// How the proxy shares one upstream extranonce space among its downstream miners: each
// connection gets extranonce1 = upstream extranonce1 || a unique prefix, and rolls the rest of
// the upstream extranonce2 itself. So two miners never hash the same coinbase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "ih/result.hpp"
#include "ih/stratum/protocol/header.hpp"

namespace ih::proxy {

inline constexpr std::size_t kMinDownstreamExtranonce2 = 2;

struct ExtranonceSplit {
  std::size_t prefix_size = 0;      // bytes of upstream extranonce2 the proxy fixes
  std::size_t downstream_size = 0;  // extranonce2_size the miners get
  std::uint64_t prefixes() const;   // distinct prefixes (miners per upstream connection)
};

// `wanted`: [extranonce] extranonce2_size, or none for the default (upstream size − 2, never
// below kMinDownstreamExtranonce2). A split that leaves fewer than 2 bytes, or wants more
// than the upstream size, is an error that says why.
Result<ExtranonceSplit> plan_extranonce_split(std::size_t upstream_size,
                                              std::optional<std::size_t> wanted);

// upstream extranonce1 || prefix (big-endian, prefix_size bytes).
stratum::Bytes downstream_extranonce1(const stratum::Bytes& upstream_extranonce1,
                                      std::uint64_t prefix, std::size_t prefix_size);
// prefix || the miner's extranonce2: what the upstream pool is sent.
stratum::Bytes upstream_extranonce2(std::uint64_t prefix, std::size_t prefix_size,
                                    const stratum::Bytes& miner_extranonce2);

}  // namespace ih::proxy
