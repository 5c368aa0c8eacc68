// libFuzzer target: arbitrary miner bytes into the server session (what the local pool and the
// proxy run for every downstream connection), split into lines, with jobs, ticks and rebinds in
// between. Nothing may crash, leak or throw; every output line must be valid JSON.
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "ih/stratum/server/server_session.hpp"

namespace {

using namespace ih::stratum;
using namespace ih::stratum::server;

JobFields job(std::uint8_t n, bool clean) {
  JobFields j;
  j.job_id = std::to_string(n);
  j.prevhash_notify[0] = n;
  j.coinb1 = {1, 0, 0, 0, n};
  j.coinb2 = {0xff, 0};
  j.version = 0x20000000;
  j.nbits = 0x1d00ffff;
  j.ntime = 0x66000000;
  j.clean_jobs = clean;
  return j;
}

void check(const std::vector<std::string>& lines) {
  for (const auto& l : lines)
    if (nlohmann::json::parse(l, nullptr, false).is_discarded()) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  JobBook book, other;
  book.add(job(1, true));
  other.add(job(2, true));
  ServerOptions options;
  options.initial_difficulty = 1.0 / (1u << 30);  // nearly every hash a share: checks run deep
  options.min_difficulty = 1e-12;
  options.honor_suggested_difficulty = (size & 1) != 0;
  auto now = Clock::now();
  ServerSession session({0, 0, 0, 1}, 4, options, &book, now);
  std::size_t start = 0, n = 0;
  while (start <= input.size()) {
    std::size_t end = input.find('\n', start);
    if (end == std::string_view::npos) end = input.size();
    const auto actions = session.on_line(input.substr(start, end - start), now);
    check(actions.lines);
    switch (++n % 7) {
      case 2: {
        auto j = job(static_cast<std::uint8_t>(n), (n & 8) != 0);
        book.add(j);
        check(session.on_job(j));
        break;
      }
      case 4:
        now += std::chrono::seconds(5);
        check(session.on_tick(now));
        break;
      case 6: {
        std::vector<std::string> lines;
        session.rebind(n & 16 ? &other : &book, {0, 0, 0, 1, static_cast<std::uint8_t>(n)}, 3,
                       lines);
        check(lines);
        break;
      }
      default:
        break;
    }
    start = end + 1;
  }
  return 0;
}
