#include "proxy/hashrate_text.hpp"

#include <array>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <utility>

#include "ih/log_escape.hpp"

namespace ih::proxy {

namespace {

struct Prefix {
  char letter;  // upper case; '\0': none
  double scale;
};

constexpr std::array<Prefix, 7> kPrefixes{
    {{'\0', 1.0}, {'K', 1e3}, {'M', 1e6}, {'G', 1e9}, {'T', 1e12}, {'P', 1e15}, {'E', 1e18}}};

bool is_blank(char c) {
  return c == ' ' || c == '\t';
}

char upper(char c) {
  return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
}

bool starts_with_unit(std::string_view s) {
  return s.size() >= 3 && upper(s[0]) == 'H' && s[1] == '/' && upper(s[2]) == 'S';
}

Error bad(std::string_view text, const char* why) {
  std::string message = "hashrate \"";  // appended: GCC 12 warns falsely on "..." + string
  message += escape_for_log(text);
  message += "\": ";
  message += why;
  message += " (expected <number><k|M|G|T|P|E>H/s, e.g. \"300TH/s\")";
  return make_error(std::move(message));
}

}  // namespace

Result<double> parse_hashrate(std::string_view text) {
  std::string_view s = text;
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  if (s.empty()) return bad(text, "empty");
  // from_chars would take "-1", "inf" and "nan": only digits and '.' may start a number here.
  if (!(std::isdigit(static_cast<unsigned char>(s.front())) || s.front() == '.'))
    return bad(text, s.front() == '-' ? "negative" : "no number");
  double number = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), number);
  if (ec != std::errc() || !std::isfinite(number)) return bad(text, "not a finite number");
  s.remove_prefix(static_cast<std::size_t>(end - s.data()));
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  if (s.empty()) return bad(text, "no unit");

  double scale = 1.0;
  if (!starts_with_unit(s)) {
    const char letter = upper(s.front());
    bool known = false;
    for (const Prefix& p : kPrefixes)
      if (p.letter != '\0' && p.letter == letter) {
        scale = p.scale;
        known = true;
      }
    if (!known) return bad(text, "unknown unit");
    s.remove_prefix(1);
  }
  if (!starts_with_unit(s)) return bad(text, "no unit");
  if (s.size() > 3) return bad(text, "text after the unit");
  const double hs = number * scale;
  if (!std::isfinite(hs)) return bad(text, "too large");
  return hs;
}

std::string format_hashrate(double hs) {
  if (!std::isfinite(hs) || hs < 0) {  // not a hashrate: shown as is, never scaled
    char out[48];
    std::snprintf(out, sizeof out, "%.3g H/s", hs);
    return out;
  }
  std::size_t i = 0;
  while (i + 1 < kPrefixes.size() && hs >= kPrefixes[i + 1].scale) ++i;
  double scaled = hs / kPrefixes[i].scale;
  // 999.6 rounds to "1e+03" under %.3g: carry it to the next prefix first.
  char probe[32];
  std::snprintf(probe, sizeof probe, "%.3g", scaled);
  if (std::strtod(probe, nullptr) >= 1000 && i + 1 < kPrefixes.size()) {
    ++i;
    scaled = hs / kPrefixes[i].scale;
  }
  char out[48];
  const char* format = scaled >= 1000 ? "%.0f" : "%.3g";  // past the last prefix: no exponent
  std::snprintf(out, sizeof out, format, scaled);
  std::string text = out;
  text += ' ';
  if (kPrefixes[i].letter != '\0') text += kPrefixes[i].letter == 'K' ? 'k' : kPrefixes[i].letter;
  text += "H/s";
  return text;
}

}  // namespace ih::proxy
