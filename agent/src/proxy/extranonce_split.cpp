#include "proxy/extranonce_split.hpp"

#include <string>

namespace ih::proxy {

namespace {

void append_prefix(stratum::Bytes& out, std::uint64_t prefix, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i)
    out.push_back(static_cast<std::uint8_t>(prefix >> (8 * (size - 1 - i))));
}

}  // namespace

std::uint64_t ExtranonceSplit::prefixes() const {
  return prefix_size >= 8 ? UINT64_MAX : (std::uint64_t{1} << (8 * prefix_size));
}

Result<ExtranonceSplit> plan_extranonce_split(std::size_t upstream_size,
                                              std::optional<std::size_t> wanted) {
  const std::size_t down =
      wanted ? *wanted
             : (upstream_size > kMinDownstreamExtranonce2 + 2 ? upstream_size - 2
                                                              : kMinDownstreamExtranonce2);
  if (down < kMinDownstreamExtranonce2)
    return make_error("extranonce2_size " + std::to_string(down) + " leaves miners fewer than " +
                      std::to_string(kMinDownstreamExtranonce2) +
                      " bytes to roll: an ASIC exhausts that in seconds");
  if (down >= upstream_size)
    return make_error("the pool gives extranonce2_size " + std::to_string(upstream_size) +
                      ", so miners can get at most " + std::to_string(upstream_size - 1) +
                      " (the proxy needs at least 1 byte to keep them apart); asked " +
                      std::to_string(down));
  return ExtranonceSplit{upstream_size - down, down};
}

stratum::Bytes downstream_extranonce1(const stratum::Bytes& upstream_extranonce1,
                                      std::uint64_t prefix, std::size_t prefix_size) {
  stratum::Bytes out = upstream_extranonce1;
  append_prefix(out, prefix, prefix_size);
  return out;
}

stratum::Bytes upstream_extranonce2(std::uint64_t prefix, std::size_t prefix_size,
                                    const stratum::Bytes& miner_extranonce2) {
  stratum::Bytes out;
  out.reserve(prefix_size + miner_extranonce2.size());
  append_prefix(out, prefix, prefix_size);
  out.insert(out.end(), miner_extranonce2.begin(), miner_extranonce2.end());
  return out;
}

}  // namespace ih::proxy
