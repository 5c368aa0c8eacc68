#include "engine/console.hpp"

#include <fmt/format.h>

namespace ih::agent {

namespace {

std::string rate_text(const std::optional<double>& rate, const RateUnit& unit) {
  return rate ? fmt::format("{:.2f}", *rate / unit.divisor) : std::string("n/a");
}

std::string paint(const std::string& text, const char* ansi, bool color) {
  return color ? fmt::format("\x1b[{}m{}\x1b[0m", ansi, text) : text;
}

}  // namespace

RateUnit pick_rate_unit(double reference) {
  if (reference >= 1e12) return {1e12, "TH/s"};
  if (reference >= 1e9) return {1e9, "GH/s"};
  if (reference >= 1e6) return {1e6, "MH/s"};
  if (reference >= 1e3) return {1e3, "kH/s"};
  return {1, "H/s"};
}

std::string format_speed_line(const DeviceRates& total, double max_10s) {
  const RateUnit unit = pick_rate_unit(total.r10s.value_or(max_10s));
  return fmt::format("speed 10s/60s/15m {} {} {} {} max {:.2f}", rate_text(total.r10s, unit),
                     rate_text(total.r60s, unit), rate_text(total.r15m, unit), unit.name,
                     max_10s / unit.divisor);
}

std::string format_device_line(const std::string& name, const DeviceRates& rates,
                               const ShareBuckets& s) {
  const RateUnit unit = pick_rate_unit(rates.r10s.value_or(0));
  return fmt::format("{} 10s/60s/15m {} {} {} {}  accepted {} rejected {} stale {} hw {}", name,
                     rate_text(rates.r10s, unit), rate_text(rates.r60s, unit),
                     rate_text(rates.r15m, unit), unit.name, s.accepted, s.rejected, s.stale,
                     s.hardware_errors);
}

std::string format_result_line(const stratum::SubmitResult& r, double difficulty,
                               const ShareBuckets& total, bool color) {
  const std::string counts = fmt::format("({}/{})", total.accepted, total.rejected);
  switch (r.outcome) {
    case stratum::SubmitOutcome::accepted:
      return fmt::format("{} {} diff {:.6g} pool {} ({} ms)", paint("accepted", "32", color),
                         counts, difficulty, r.pool_index, r.latency.count());
    case stratum::SubmitOutcome::rejected:
      return fmt::format("{} {} diff {:.6g} pool {} ({} ms) \"{}\"", paint("rejected", "31", color),
                         counts, difficulty, r.pool_index, r.latency.count(), r.reason);
    case stratum::SubmitOutcome::stale:
      return fmt::format("{} {} pool {} \"{}\"", paint("stale", "33", color), counts, r.pool_index,
                         r.reason);
    case stratum::SubmitOutcome::timed_out:
      return fmt::format("{} {} pool {} \"{}\"", paint("no reply", "31", color), counts,
                         r.pool_index, r.reason);
  }
  return {};
}

std::string format_summary(std::chrono::duration<double> uptime, const DeviceRates& total,
                           const LedgerSnapshot& l) {
  const double seconds = uptime.count();
  const double average = seconds > 0 ? static_cast<double>(total.total) / seconds : 0;
  const RateUnit unit = pick_rate_unit(average);
  const ShareBuckets& t = l.total;
  std::string out = fmt::format(
      "summary: uptime {:.1f} s, {} hashes, average {:.2f} {}\n"
      "summary: shares found {} = accepted {} + rejected {} + stale {} + hardware errors {} + "
      "pending {}{}\n"
      "summary: stale {} not sent, {} rejected by the pool as stale\n"
      "summary: best share difficulty {:.6g}, reply latency avg {} ms max {} ms",
      seconds, total.total, average / unit.divisor, unit.name, t.found, t.accepted, t.rejected,
      t.stale, t.hardware_errors, t.pending, t.balanced() ? "" : " (LEDGER DOES NOT BALANCE)",
      l.stale_unsent, l.stale_by_pool, t.best_difficulty,
      t.latency_samples ? t.latency_total.count() / static_cast<long long>(t.latency_samples) : 0,
      t.latency_max.count());
  for (const auto& [reason, count] : l.reject_reasons)
    out += fmt::format("\nsummary: rejected {} x \"{}\"", count, reason);
  return out;
}

}  // namespace ih::agent
