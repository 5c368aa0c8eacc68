#include "ih/kernels/work.hpp"

#include <span>

namespace ih::kernels {

namespace {

std::uint32_t load_be32(const std::uint8_t* p) {
  return (std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) | (std::uint32_t{p[2]} << 8) |
         std::uint32_t{p[3]};
}

void store_be32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (24 - 8 * i));
}

}  // namespace

Work make_work(const Header80& header, const Uint256& target) {
  Work work;
  work.midstate = sha256_midstate(std::span<const std::uint8_t, 64>(header.data(), 64));
  for (int i = 0; i < 3; ++i) work.tail[i] = load_be32(header.data() + 64 + 4 * i);
  work.target = target;
  return work;
}

void set_header_nonce(Header80& header, std::uint32_t nonce) {
  for (int i = 0; i < 4; ++i) header[76 + i] = static_cast<std::uint8_t>(nonce >> (8 * i));
}

std::uint32_t header_nonce(const Header80& header) {
  return std::uint32_t{header[76]} | (std::uint32_t{header[77]} << 8) |
         (std::uint32_t{header[78]} << 16) | (std::uint32_t{header[79]} << 24);
}

Hash256 reference_hash(const Work& work, std::uint32_t nonce) {
  std::array<std::uint8_t, 16> tail{};
  for (int i = 0; i < 3; ++i) store_be32(tail.data() + 4 * i, work.tail[i]);
  for (int i = 0; i < 4; ++i) tail[12 + i] = static_cast<std::uint8_t>(nonce >> (8 * i));
  return sha256d_header_from_midstate(work.midstate, tail);
}

}  // namespace ih::kernels
