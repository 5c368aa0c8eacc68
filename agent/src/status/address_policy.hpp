// Who may reach the status endpoints: loopback checks for bind addresses and CIDR allow lists
// for the cgminer API (which has no authentication of its own). Pure, no sockets.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ih/result.hpp"

namespace ih::agent::status {

// True for 127.0.0.0/8, ::1, ::ffff:127.x.y.z and "localhost"; false for names and 0.0.0.0.
bool is_loopback_host(std::string_view host);

struct Cidr {
  std::array<std::uint8_t, 16> address{};  // IPv4 as ::ffff:a.b.c.d
  unsigned prefix = 0;                     // over the 128-bit form
};

// "10.0.0.0/8", "192.168.1.7" (a /32), "fd00::/8"; a clear error otherwise.
Result<Cidr> parse_cidr(std::string_view text);
// Does `address` (a literal, IPv4 or IPv6) fall in any of `allowed`?
bool address_allowed(std::string_view address, const std::vector<Cidr>& allowed);

}  // namespace ih::agent::status
