// Lower-case hex of raw bytes: for digests, headers and logs. Decoding (with validation) lives in
// stratum/protocol/hex.hpp, where untrusted input arrives.
#pragma once

#include <cstdint>
#include <span>
#include <string>

namespace ih {

std::string hex_encode(std::span<const std::uint8_t> bytes);

}  // namespace ih
