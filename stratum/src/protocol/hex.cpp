#include "ih/stratum/protocol/hex.hpp"

#include <algorithm>

#include "ih/hex_encode.hpp"

namespace ih::stratum {

namespace {

int nibble(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

std::string to_hex(std::span<const std::uint8_t> bytes) {
  return hex_encode(bytes);
}

Result<Bytes> from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0)
    return make_error("hex string has odd length " + std::to_string(hex.size()));
  Bytes out(hex.size() / 2);
  for (std::size_t i = 0; i < out.size(); ++i) {
    const int hi = nibble(hex[2 * i]);
    const int lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      const std::size_t at = hi < 0 ? 2 * i : 2 * i + 1;
      return make_error("non-hex character at offset " + std::to_string(at));
    }
    out[i] = static_cast<std::uint8_t>((hi << 4) | lo);
  }
  return out;
}

Result<Bytes> from_hex(std::string_view hex, std::size_t expected_bytes) {
  if (hex.size() != expected_bytes * 2)
    return make_error("expected " + std::to_string(expected_bytes * 2) + " hex digits, got " +
                      std::to_string(hex.size()));
  return from_hex(hex);
}

Result<Hash256> hash_from_hex(std::string_view hex) {
  auto bytes = from_hex(hex, 32);
  if (!bytes) return bytes.error();
  Hash256 out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

Result<std::uint32_t> u32_from_be_hex(std::string_view hex) {
  auto bytes = from_hex(hex, 4);
  if (!bytes) return bytes.error();
  const Bytes& b = *bytes;
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

std::string u32_to_be_hex(std::uint32_t value) {
  const std::uint8_t b[4] = {
      static_cast<std::uint8_t>(value >> 24), static_cast<std::uint8_t>(value >> 16),
      static_cast<std::uint8_t>(value >> 8), static_cast<std::uint8_t>(value)};
  return to_hex(b);
}

std::string hash_to_display_hex(const Hash256& hash) {
  Hash256 reversed = hash;
  std::reverse(reversed.begin(), reversed.end());
  return to_hex(reversed);
}

}  // namespace ih::stratum
