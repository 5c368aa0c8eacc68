// Reference SHA-256 / SHA-256d (FIPS 180-4), portable C++. Every fast scanner is checked against
// it.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace ih {

using Hash256 = std::array<std::uint8_t, 32>;   // digest bytes as SHA-256 emits them
using Header80 = std::array<std::uint8_t, 80>;  // a serialized Bitcoin block header

namespace kernels {

using Sha256State = std::array<std::uint32_t, 8>;

inline constexpr Sha256State kSha256Iv = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                          0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
extern const std::array<std::uint32_t, 64> kSha256K;

// One compression of a 64-byte block into `state`.
void sha256_compress(Sha256State& state, const std::uint8_t* block);

using Sha256CompressFn = void (*)(Sha256State& state, const std::uint8_t* block);

// Incremental hashing: update() any number of times, then finish() once.
class Sha256 {
 public:
  explicit Sha256(Sha256CompressFn compress = sha256_compress) : compress_(compress) {}
  Sha256& update(std::span<const std::uint8_t> data);
  Hash256 finish();
  // State after the blocks consumed so far; only meaningful on a 64-byte boundary.
  const Sha256State& state() const { return state_; }

 private:
  Sha256CompressFn compress_;
  Sha256State state_ = kSha256Iv;
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

Hash256 sha256(std::span<const std::uint8_t> data);
Hash256 sha256d(std::span<const std::uint8_t> data);

// The fastest compression this CPU has (SHA-NI when cpuid reports it, else sha256_compress):
// the same digests, for bulk hashing of arbitrary messages (proof verification). The scanners
// are checked against the portable functions above, never against these.
Sha256CompressFn fastest_sha256_compress();
Hash256 sha256d_fast(std::span<const std::uint8_t> data);

// State after compressing the first 64 bytes of a block header (constant for a job).
Sha256State sha256_midstate(std::span<const std::uint8_t, 64> first_block);

// sha256d of an 80-byte header finished from a precomputed midstate and its last 16 bytes.
Hash256 sha256d_header_from_midstate(const Sha256State& midstate,
                                     std::span<const std::uint8_t, 16> tail);

// Digest bytes as big-endian state words and back.
Hash256 state_to_digest(const Sha256State& state);

}  // namespace kernels
}  // namespace ih
