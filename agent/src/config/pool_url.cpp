#include "config/pool_url.hpp"

#include <cctype>
#include <charconv>

#include "config/quoted.hpp"

namespace ih::agent {

namespace {

Result<BindAddress> parse_host_port(std::string_view text, std::string_view what, bool allow_zero) {
  const auto colon = text.rfind(':');
  if (colon == std::string_view::npos) return make_error(std::string(what) + ": missing ':port'");
  BindAddress out;
  out.host = std::string(text.substr(0, colon));
  if (out.host.size() > 2 && out.host.front() == '[' && out.host.back() == ']')
    out.host = out.host.substr(1, out.host.size() - 2);
  if (out.host.empty()) return make_error(std::string(what) + ": missing host");
  for (char c : out.host)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
          c == '_'))
      return make_error(std::string(what) + ": host '" + out.host + "' has a bad character");
  const std::string_view port = text.substr(colon + 1);
  unsigned value = 0;
  const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc{} || end != port.data() + port.size() || value > 65535 ||
      (value == 0 && !allow_zero))
    return make_error(std::string(what) + ": port '" + std::string(port) +
                      "' is not a number from 1 to 65535");
  out.port = static_cast<std::uint16_t>(value);
  return out;
}

}  // namespace

Result<BindAddress> parse_bind_address(std::string_view address) {
  return parse_host_port(address, quoted(address), true);
}

std::string mask_url_secret(std::string_view url) {
  const auto sep = url.find("://");
  const auto at = url.rfind('@');
  if (sep == std::string_view::npos || at == std::string_view::npos || at < sep) {
    return std::string(url);
  }
  return std::string(url.substr(0, sep + 3)) + "***" + std::string(url.substr(at));
}

}  // namespace ih::agent
