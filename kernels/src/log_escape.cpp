#include "ih/log_escape.hpp"

#include <cstdio>

namespace ih {

std::string escape_for_log(std::string_view remote, std::size_t max_chars) {
  std::string out;
  out.reserve(remote.size() < max_chars ? remote.size() : max_chars);
  std::size_t shown = 0;  // input bytes represented in `out`
  for (const char ch : remote) {
    const auto byte = static_cast<unsigned char>(ch);
    // Printable ASCII only: bytes >= 0x80 are escaped too, so a broken UTF-8 sequence or a C1
    // control (0x9b is CSI on some terminals) cannot reach the screen.
    const bool printable = byte >= 0x20 && byte < 0x7f && byte != '\\';
    const std::size_t width = printable ? 1 : 4;
    if (out.size() + width > max_chars) break;
    if (printable) {
      out.push_back(ch);
    } else {
      char buffer[5];
      std::snprintf(buffer, sizeof buffer, "\\x%02x", byte);
      out.append(buffer, 4);
    }
    ++shown;
  }
  if (shown < remote.size()) out += "... (" + std::to_string(remote.size()) + " bytes)";
  return out;
}

}  // namespace ih
