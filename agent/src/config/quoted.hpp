// 'text' in single quotes, for error messages that name a value the user gave.
#pragma once

#include <string>
#include <string_view>

namespace ih::agent {

// Built by appending: GCC 12 warns falsely (-Wrestrict) on "'" + std::string(...).
inline std::string quoted(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out.append(text);
  out += '\'';
  return out;
}

}  // namespace ih::agent
