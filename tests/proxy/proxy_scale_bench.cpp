// Scale benchmark for proxy mode (not a test: it prints figures). N simulated miners (default
// 1 000) on one connection each, shares at about 20 per minute each, through the proxy to the
// built-in pool. Prints: connect time, the job fan-out latency (upstream notify -> the last
// miner has it) over several clean jobs, the proxy I/O thread's CPU use, memory per connection.
//   build/tests/proxy/proxy_scale_bench [--connections N] [--seconds S]
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include "local_pool/local_pool.hpp"
#include "proxy/proxy_service.hpp"
#include "sim_miner.hpp"

namespace {

using namespace ih;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

long rss_kib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  return 0;
}

double ms(Clock::duration d) {
  return std::chrono::duration<double, std::milli>(d).count();
}

}  // namespace

int main(int argc, char** argv) {
  std::size_t n = 1000;
  double seconds = 20;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!std::strcmp(argv[i], "--connections")) n = std::strtoul(argv[i + 1], nullptr, 10);
    if (!std::strcmp(argv[i], "--seconds")) seconds = std::strtod(argv[i + 1], nullptr);
  }
  rlimit fds{};
  getrlimit(RLIMIT_NOFILE, &fds);
  fds.rlim_cur = fds.rlim_max;  // both ends of every connection live in this process
  setrlimit(RLIMIT_NOFILE, &fds);

  const double share_difficulty = 1.0 / (1u << 24);  // 256 hashes a share
  agent::local_pool::LocalPoolOptions po;
  po.session.initial_difficulty = share_difficulty * 64;
  po.session.vardiff = false;
  po.job_interval = 600s;
  auto pool = agent::local_pool::LocalPool::start(po);
  if (!pool) return std::fprintf(stderr, "%s\n", pool.error().message.c_str()), 1;

  proxy::ProxyOptions o;
  o.host = "127.0.0.1";
  o.port = 0;
  proxy::ProxyPool up;
  up.name = "up";
  up.host = "127.0.0.1";
  up.port = (*pool)->port();
  up.worker_id = "bench";
  o.config.main = {up};
  o.config.routing.grace_period_seconds = 0s;
  o.initial_difficulty = share_difficulty;
  o.min_difficulty = share_difficulty;
  o.shares_per_minute = 20;
  auto proxy = proxy::ProxyService::start(std::move(o));
  if (!proxy) return std::fprintf(stderr, "%s\n", proxy.error().message.c_str()), 1;
  std::this_thread::sleep_for(500ms);  // the upstream job arrives

  const long rss_before = rss_kib();
  const double cpu_before = (*proxy)->io_thread_cpu_seconds();
  std::vector<test::SimMinerSpec> specs(n);
  for (std::size_t i = 0; i < n; ++i) {
    specs[i].user = "farm.m" + std::to_string(i);
    specs[i].hashrate_hs = 20.0 / 60.0 * share_difficulty * 4294967296.0;  // 20 shares/min
  }
  const auto t0 = Clock::now();
  auto fleet = test::SimFleet::start("127.0.0.1", (*proxy)->port(), specs);
  if (!fleet) return std::fprintf(stderr, "%s\n", fleet.error().message.c_str()), 1;
  while ((*fleet)->totals().with_job < n && Clock::now() - t0 < 60s)
    std::this_thread::sleep_for(10ms);
  const auto connected_in = Clock::now() - t0;
  const std::size_t working = (*fleet)->totals().with_job;
  const long rss_after = rss_kib();

  // Fan-out: a clean job upstream, then how long until every miner has read its notify.
  std::vector<double> fanout;
  const auto run_until = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                            std::chrono::duration<double>(seconds));
  while (Clock::now() < run_until) {
    std::this_thread::sleep_for(2s);
    const auto stats = (*fleet)->stats();
    const auto sent = Clock::now();
    (*pool)->new_job(true);
    Clock::time_point last = sent;
    for (;;) {
      const auto now_stats = (*fleet)->stats();
      std::size_t have = 0;
      last = sent;
      for (std::size_t i = 0; i < now_stats.size(); ++i)
        if (now_stats[i].jobs > stats[i].jobs) {
          ++have;
          last = std::max(last, now_stats[i].last_notify);
        }
      if (have == now_stats.size() || Clock::now() - sent > 5s) break;
      std::this_thread::sleep_for(2ms);
    }
    fanout.push_back(ms(last - sent));
  }
  const double cpu = (*proxy)->io_thread_cpu_seconds() - cpu_before;
  const double wall = std::chrono::duration<double>(Clock::now() - t0).count();
  const auto totals = (*fleet)->totals();
  const auto status = (*proxy)->status();
  std::uint64_t valid = 0, invalid = 0;
  for (const auto& w : status.workers) {
    valid += w.shares_valid;
    invalid += w.shares_invalid;
  }
  std::sort(fanout.begin(), fanout.end());
  std::printf("connections           %zu (with a job: %zu) in %.0f ms\n", n, working,
              ms(connected_in));
  std::printf("job fan-out           median %.1f ms, max %.1f ms over %zu clean jobs\n",
              fanout.empty() ? 0 : fanout[fanout.size() / 2], fanout.empty() ? 0 : fanout.back(),
              fanout.size());
  std::printf("proxy I/O thread      %.2f CPU s over %.1f s wall (%.1f %% of one core)\n", cpu,
              wall, 100 * cpu / wall);
  std::printf(
      "shares                %.1f/s downstream valid, %llu invalid; %llu accepted "
      "upstream, %llu rejected\n",
      static_cast<double>(valid) / wall, static_cast<unsigned long long>(invalid),
      static_cast<unsigned long long>((*pool)->stats().accepted),
      static_cast<unsigned long long>((*pool)->stats().rejected));
  std::printf(
      "memory                %.1f KiB per connection (RSS growth / N; proxy and "
      "simulated miner sides together)\n",
      static_cast<double>(rss_after - rss_before) / static_cast<double>(n));
  std::printf("sim fleet             %llu hashes, %llu missed (host too busy)\n",
              static_cast<unsigned long long>(totals.hashes),
              static_cast<unsigned long long>(totals.hashes_missed));
  (*fleet)->stop();
  (*proxy)->stop();
  (*pool)->stop();
  return 0;
}
