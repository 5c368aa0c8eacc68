#include "ih/bench/synthetic_job.hpp"

namespace ih::bench {

namespace {

// splitmix64: tiny, fully specified, identical on every platform (unlike std distributions).
std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ull);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

Header80 synthetic_header(std::uint64_t seed) {
  std::uint64_t state = seed;
  Header80 header{};
  for (std::size_t i = 0; i < 76; ++i) header[i] = static_cast<std::uint8_t>(splitmix64(state));
  // A BIP 9 style version and regtest nBits, so the bytes look like a real header.
  header[3] = 0x20;
  header[72] = 0xff;
  header[73] = 0xff;
  header[74] = 0x7f;
  header[75] = 0x20;
  return header;
}

DigestRange digest_range(std::uint64_t seed) {
  std::uint64_t state = ~seed;
  DigestRange range;
  range.first_nonce = static_cast<std::uint32_t>(splitmix64(state));
  range.count = 1u << 18;
  range.target = Uint256::max();
  range.target.limbs[7] = 0x00ffffffu;
  return range;
}

}  // namespace ih::bench
