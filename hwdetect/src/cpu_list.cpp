#include <algorithm>
#include <charconv>
#include <set>

#include "ih/hwdetect/thread_plan.hpp"

namespace ih::hwdetect {

namespace {

// Far above any real CPU number; keeps a typo like 1000000000 from meaning anything.
constexpr unsigned kMaxCpuNumber = 65535;

Result<unsigned> parse_cpu_number(std::string_view text, std::string_view list) {
  unsigned value = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, value);
  if (text.empty() || ec != std::errc() || ptr != end || value > kMaxCpuNumber)
    return make_error("bad CPU list '" + std::string(list) + "': '" + std::string(text) +
                      "' is not a CPU number (expected a list like 0-3,8,10-11)");
  return value;
}

}  // namespace

Result<std::vector<unsigned>> parse_cpu_list(std::string_view list) {
  if (list.empty()) return make_error("empty CPU list (expected a list like 0-3,8,10-11)");
  std::vector<unsigned> cpus;
  std::set<unsigned> seen;
  std::size_t start = 0;
  while (start <= list.size()) {
    const std::size_t comma = std::min(list.find(',', start), list.size());
    const std::string_view item = list.substr(start, comma - start);
    const std::size_t dash = item.find('-');
    const auto first = parse_cpu_number(item.substr(0, dash), list);
    if (!first) return first.error();
    unsigned last = *first;
    if (dash != std::string_view::npos) {
      const auto parsed_last = parse_cpu_number(item.substr(dash + 1), list);
      if (!parsed_last) return parsed_last.error();
      last = *parsed_last;
      if (last < *first)
        return make_error("bad CPU list '" + std::string(list) + "': range '" + std::string(item) +
                          "' runs backwards");
    }
    for (unsigned cpu = *first; cpu <= last; ++cpu) {
      if (!seen.insert(cpu).second)
        return make_error("bad CPU list '" + std::string(list) + "': CPU " + std::to_string(cpu) +
                          " is listed twice");
      cpus.push_back(cpu);
    }
    start = comma + 1;
  }
  return cpus;
}

std::string format_cpu_list(std::vector<unsigned> pus) {
  std::sort(pus.begin(), pus.end());
  std::string out;
  for (std::size_t i = 0; i < pus.size();) {
    std::size_t j = i;
    while (j + 1 < pus.size() && pus[j + 1] == pus[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(pus[i]);
    if (j > i) out += '-' + std::to_string(pus[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace ih::hwdetect
