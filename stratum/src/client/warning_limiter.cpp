#include "ih/stratum/client/warning_limiter.hpp"

namespace ih::stratum {

std::optional<std::string> WarningLimiter::admit(const std::string& text, TimePoint now) {
  if (seen_++ < burst_) {
    last_report_ = now;
    return text;
  }
  ++suppressed_;
  ++suppressed_total_;
  if (now - last_report_ < interval_) return std::nullopt;
  std::string line = text + " (" + std::to_string(suppressed_) +
                     " similar warning(s) suppressed since the last report)";
  suppressed_ = 0;
  last_report_ = now;
  return line;
}

std::optional<std::string> WarningLimiter::flush() {
  std::optional<std::string> line;
  if (suppressed_ > 0)
    line = std::to_string(suppressed_) + " more protocol warning(s) suppressed on this connection";
  seen_ = 0;
  suppressed_ = 0;
  return line;
}

}  // namespace ih::stratum
