// Hashrates as the subnet's miner tooling writes them in pools.toml: "<number><prefix>H/s" with
// an SI prefix (k, M, G, T, P, E; any case), e.g. "300TH/s", "1.5PH/s", "12 TH/s", "0TH/s".
#pragma once

#include <string>
#include <string_view>

#include "ih/result.hpp"

namespace ih::proxy {

// H/s. Accepts blanks around the text and between number and unit; the number is a plain
// non-negative decimal (an exponent is allowed). Rejects an empty text, a sign, NaN/inf, a
// missing or unknown unit and anything after "H/s"; the error quotes the text.
Result<double> parse_hashrate(std::string_view text);

// Three significant digits under the largest prefix that keeps the number >= 1:
// 3e14 -> "300 TH/s", 1.5e15 -> "1.5 PH/s", 0 -> "0 H/s". parse_hashrate reads it back.
std::string format_hashrate(double hs);

}  // namespace ih::proxy
