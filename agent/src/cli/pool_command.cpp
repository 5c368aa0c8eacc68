#include <spdlog/spdlog.h>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <memory>

#include "cli/commands.hpp"
#include "config/pool_url.hpp"
#include "engine/signals.hpp"
#include "local_pool/local_pool.hpp"

namespace ih::agent {

namespace {

struct PoolFlags {
  std::string bind = "127.0.0.1:3333";
  double difficulty = 0.0005;
  double block_seconds = 30;
  double seconds_per_share = 2;
  double stats_interval = 10;
};

int run_pool(const PoolFlags& f) {
  auto address = parse_bind_address(f.bind);
  if (!address) {
    std::fprintf(stderr, "infinite-hashes pool: --bind %s\n", address.error().message.c_str());
    return 1;
  }
  block_control_signals();
  local_pool::LocalPoolOptions options;
  options.host = address->host;
  options.port = address->port;
  options.session.initial_difficulty = f.difficulty;
  options.session.seconds_per_share = f.seconds_per_share;
  options.job_interval =
      std::chrono::milliseconds(static_cast<long long>(f.block_seconds * 1000.0));
  auto pool = local_pool::LocalPool::start(options);
  if (!pool) {
    std::fprintf(stderr, "infinite-hashes pool: %s\n", pool.error().message.c_str());
    return 1;
  }
  spdlog::info("synthetic jobs only: shares here are verified but worth nothing");
  auto next = std::chrono::steady_clock::now();
  for (;;) {
    if (wait_for_signal(std::chrono::milliseconds(250)) == SignalEvent::stop) break;
    if (std::chrono::steady_clock::now() < next) continue;
    next += std::chrono::milliseconds(static_cast<long long>(f.stats_interval * 1000.0));
    const auto s = (*pool)->stats();
    spdlog::info("local pool: {} connection(s), {} job(s), accepted {} rejected {} stale {}",
                 s.connections, s.jobs, s.accepted, s.rejected, s.stale);
  }
  (*pool)->stop();
  const auto s = (*pool)->stats();
  std::printf("local pool: accepted %llu rejected %llu stale %llu\n",
              static_cast<unsigned long long>(s.accepted),
              static_cast<unsigned long long>(s.rejected),
              static_cast<unsigned long long>(s.stale));
  for (const auto& [reason, count] : s.reject_reasons)
    std::printf("local pool: rejected %llu x \"%s\"\n", static_cast<unsigned long long>(count),
                reason.c_str());
  return 0;
}

}  // namespace

CommandMain add_pool_command(CLI::App& app) {
  auto f = std::make_shared<PoolFlags>();
  CLI::App* sub = app.add_subcommand(
      "pool",
      "Run the built-in local pool standalone: a Stratum V1 server with synthetic jobs that "
      "verifies every share (for testing rigs; shares are worth nothing)");
  sub->add_option("--bind", f->bind, "host:port to listen on (port 0: any free port)")
      ->capture_default_str();
  sub->add_option("--difficulty", f->difficulty, "Starting share difficulty")
      ->check(CLI::Range(1e-9, 1e12))
      ->capture_default_str();
  sub->add_option("--block-seconds", f->block_seconds, "Seconds between new blocks (clean jobs)")
      ->check(CLI::Range(0.1, 86400.0))
      ->capture_default_str();
  sub->add_option("--share-seconds", f->seconds_per_share,
                  "Vardiff aims at one share this often per connection")
      ->check(CLI::Range(0.01, 3600.0))
      ->capture_default_str();
  sub->add_option("--stats-interval", f->stats_interval, "Seconds between status lines")
      ->check(CLI::Range(1.0, 86400.0))
      ->capture_default_str();
  return [f] { return run_pool(*f); };
}

}  // namespace ih::agent
