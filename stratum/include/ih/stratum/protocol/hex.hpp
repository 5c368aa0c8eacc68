// Strict hex codec: every pool-supplied hex string goes through here.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ih/kernels/sha256.hpp"
#include "ih/result.hpp"

namespace ih::stratum {

using Bytes = std::vector<std::uint8_t>;

std::string to_hex(std::span<const std::uint8_t> bytes);

// Errors on odd length or a non-hex character (both cases of a-f are accepted).
Result<Bytes> from_hex(std::string_view hex);
// As from_hex, and also errors unless the result is exactly `expected_bytes` long.
Result<Bytes> from_hex(std::string_view hex, std::size_t expected_bytes);
Result<Hash256> hash_from_hex(std::string_view hex);

// A 32-bit field sent as 8 hex digits of its big-endian value (version, nbits, ntime, nonce).
Result<std::uint32_t> u32_from_be_hex(std::string_view hex);
std::string u32_to_be_hex(std::uint32_t value);

// Hashes the way explorers print them: digest bytes reversed.
std::string hash_to_display_hex(const Hash256& hash);

}  // namespace ih::stratum
