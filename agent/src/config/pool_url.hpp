// Addresses the agent itself handles: the local pool's --bind address, pool URLs shown in logs.
// Pool URLs are parsed by the stratum client's own parser (ih/stratum/client/pool_url.hpp), so a
// URL that validates is one the client can connect to.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "ih/result.hpp"

namespace ih::agent {

struct BindAddress {
  std::string host;
  std::uint16_t port = 0;
};

// host:port as given to --bind (IPv4 literal or a name, port 0 picks a free one).
Result<BindAddress> parse_bind_address(std::string_view address);

// The URL with any user:password@ part replaced by ***@.
std::string mask_url_secret(std::string_view url);

}  // namespace ih::agent
