#include "status/address_policy.hpp"

#include <arpa/inet.h>

#include <charconv>
#include <optional>

namespace ih::agent::status {

namespace {

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(...).
std::string quote(std::string_view text) {
  std::string out = "'";
  out.append(text);
  out += '\'';
  return out;
}

// Any literal as 16 bytes (IPv4 mapped into ::ffff:0:0/96).
std::optional<std::array<std::uint8_t, 16>> to_v6(std::string_view text) {
  const std::string s(text);
  std::array<std::uint8_t, 16> out{};
  in_addr v4{};
  if (inet_pton(AF_INET, s.c_str(), &v4) == 1) {
    out[10] = out[11] = 0xff;
    const auto* b = reinterpret_cast<const std::uint8_t*>(&v4.s_addr);
    for (int i = 0; i < 4; ++i) out[12 + i] = b[i];
    return out;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, s.c_str(), &v6) == 1) {
    for (int i = 0; i < 16; ++i) out[i] = v6.s6_addr[i];
    return out;
  }
  return std::nullopt;
}

bool is_v4_mapped(const std::array<std::uint8_t, 16>& a) {
  for (int i = 0; i < 10; ++i)
    if (a[i] != 0) return false;
  return a[10] == 0xff && a[11] == 0xff;
}

bool in_prefix(const std::array<std::uint8_t, 16>& a, const Cidr& c) {
  for (unsigned bit = 0; bit < c.prefix; ++bit) {
    const unsigned byte = bit / 8, mask = 0x80u >> (bit % 8);
    if ((a[byte] & mask) != (c.address[byte] & mask)) return false;
  }
  return true;
}

}  // namespace

bool is_loopback_host(std::string_view host) {
  if (host == "localhost") return true;
  const auto a = to_v6(host);
  if (!a) return false;
  if (is_v4_mapped(*a)) return (*a)[12] == 127;
  for (int i = 0; i < 15; ++i)
    if ((*a)[i] != 0) return false;
  return (*a)[15] == 1;
}

Result<Cidr> parse_cidr(std::string_view text) {
  const auto slash = text.find('/');
  const std::string_view host = text.substr(0, slash);
  const auto address = to_v6(host);
  if (!address) return make_error(quote(text) + " is not an address or CIDR (e.g. 10.0.0.0/8)");
  Cidr c;
  c.address = *address;
  const bool v4 = is_v4_mapped(*address) && host.find(':') == std::string_view::npos;
  const unsigned max = v4 ? 32 : 128;
  unsigned prefix = max;
  if (slash != std::string_view::npos) {
    const std::string_view p = text.substr(slash + 1);
    const auto [end, ec] = std::from_chars(p.data(), p.data() + p.size(), prefix);
    if (p.empty() || ec != std::errc{} || end != p.data() + p.size() || prefix > max)
      return make_error(quote(text) + ": the prefix length must be 0.." + std::to_string(max));
  }
  c.prefix = v4 ? prefix + 96 : prefix;
  return c;
}

bool address_allowed(std::string_view address, const std::vector<Cidr>& allowed) {
  const auto a = to_v6(address);
  if (!a) return false;
  for (const auto& c : allowed)
    if (in_prefix(*a, c)) return true;
  return false;
}

}  // namespace ih::agent::status
