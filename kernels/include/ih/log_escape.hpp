// Remote bytes (from a pool, a downstream miner, an API client, a file) made safe to log or
// print: a peer must never be able to write control characters or escape sequences to a
// terminal, nor make one log line as long as its input. Non-printable bytes become \xNN; text
// past `max_chars` is cut with an ellipsis and the total length.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace ih {

inline constexpr std::size_t kLogEscapeMaxChars = 160;

std::string escape_for_log(std::string_view remote, std::size_t max_chars = kLogEscapeMaxChars);

}  // namespace ih
