// stratum+tcp:// and stratum+ssl:// (stratum+tls://) URLs, with IPv6 literals in brackets.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ih/result.hpp"

namespace ih::stratum {

struct PoolUrl {
  bool tls = false;
  std::string host;  // a name, an IPv4 literal, or an IPv6 literal without brackets
  std::uint16_t port = 0;
  std::string to_string() const;
};

Result<PoolUrl> parse_pool_url(std::string_view url);

}  // namespace ih::stratum
