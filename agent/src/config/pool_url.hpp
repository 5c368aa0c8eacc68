// Pool URLs: stratum+tcp://host:port, stratum+ssl://host:port, stratum+tls://host:port.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ih/result.hpp"

namespace ih::agent {

struct PoolUrl {
  std::string scheme;  // "stratum+tcp", "stratum+ssl" or "stratum+tls"
  std::string host;
  std::uint16_t port = 0;
};

Result<PoolUrl> parse_pool_url(std::string_view url);

// host:port as given to --bind (IPv4 literal or a name, port 0 picks a free one).
Result<PoolUrl> parse_bind_address(std::string_view address);

// The URL with any user:password@ part replaced by ***@.
std::string mask_url_secret(std::string_view url);

}  // namespace ih::agent
