#include "ih/stratum/client/pool_url.hpp"

namespace ih::stratum {

std::string PoolUrl::to_string() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(tls ? "stratum+ssl://" : "stratum+tcp://") + (v6 ? "[" + host + "]" : host) +
         ":" + std::to_string(port);
}

Result<PoolUrl> parse_pool_url(std::string_view url) {
  PoolUrl out;
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos)
    return make_error("pool URL '" + std::string(url) + "' needs a scheme (stratum+tcp://)");
  const std::string_view scheme = url.substr(0, scheme_end);
  if (scheme == "stratum+tcp" || scheme == "stratum") {
    out.tls = false;
  } else if (scheme == "stratum+ssl" || scheme == "stratum+tls") {
    out.tls = true;
  } else {
    return make_error("unsupported pool URL scheme '" + std::string(scheme) +
                      "' (stratum+tcp, stratum+ssl or stratum+tls)");
  }
  std::string_view rest = url.substr(scheme_end + 3);
  if (rest.find('@') != std::string_view::npos)
    return make_error("pool URL must not carry a user or password (use --user and --pass)");
  if (const auto slash = rest.find('/'); slash != std::string_view::npos) {
    if (rest.substr(slash) != "/") return make_error("pool URL must not have a path");
    rest = rest.substr(0, slash);
  }
  std::string_view port_text;
  if (!rest.empty() && rest.front() == '[') {
    const auto close = rest.find(']');
    if (close == std::string_view::npos) return make_error("pool URL: unclosed '[' in host");
    out.host = std::string(rest.substr(1, close - 1));
    if (close + 1 >= rest.size() || rest[close + 1] != ':')
      return make_error("pool URL needs a port");
    port_text = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos) return make_error("pool URL needs a port");
    out.host = std::string(rest.substr(0, colon));
    if (out.host.find(':') != std::string::npos)
      return make_error("pool URL: put an IPv6 address in brackets");
    port_text = rest.substr(colon + 1);
  }
  if (out.host.empty()) return make_error("pool URL needs a host");
  if (port_text.empty() || port_text.size() > 5) return make_error("pool URL: bad port");
  unsigned port = 0;
  for (char c : port_text) {
    if (c < '0' || c > '9') return make_error("pool URL: bad port");
    port = port * 10 + static_cast<unsigned>(c - '0');
  }
  if (port == 0 || port > 65535) return make_error("pool URL: port out of range");
  out.port = static_cast<std::uint16_t>(port);
  return out;
}

}  // namespace ih::stratum
