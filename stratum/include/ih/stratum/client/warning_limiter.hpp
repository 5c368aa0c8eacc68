// Repeated protocol warnings from one connection: the first `burst` are logged, the rest are
// counted and reported as one line every `interval`, so a hostile peer cannot flood the log.
// Pure: the caller passes the time.
#pragma once

#include <chrono>
#include <cstddef>
#include <optional>
#include <string>

namespace ih::stratum {

class WarningLimiter {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit WarningLimiter(std::size_t burst = 5,
                          std::chrono::milliseconds interval = std::chrono::seconds(10))
      : burst_(burst), interval_(interval) {}

  // The line to log for this warning now, if any: the warning itself while within the burst,
  // later the latest one with the count suppressed since the last report.
  std::optional<std::string> admit(const std::string& text, TimePoint now);
  // What is still unreported (on disconnect), then a fresh start for the next connection.
  std::optional<std::string> flush();

  std::size_t suppressed_total() const { return suppressed_total_; }

 private:
  std::size_t burst_;
  std::chrono::milliseconds interval_;
  std::size_t seen_ = 0;
  std::size_t suppressed_ = 0;  // since the last report
  std::size_t suppressed_total_ = 0;
  TimePoint last_report_{};
};

}  // namespace ih::stratum
