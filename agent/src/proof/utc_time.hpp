// ISO 8601 times as SN89 validators send them: 2026-12-01T19:00:00+00:00 (seconds, a UTC
// offset or Z, optional fractional seconds). Times are UTC milliseconds since the epoch.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace ih::proof {

std::optional<std::int64_t> parse_iso8601(std::string_view text);
// 2026-12-01T19:00:00+00:00 (milliseconds kept as .mmm only when not zero).
std::string format_iso8601(std::int64_t utc_ms);
std::int64_t utc_now_ms();

}  // namespace ih::proof
