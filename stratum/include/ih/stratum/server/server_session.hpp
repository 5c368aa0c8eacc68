// The server side of one Stratum V1 connection as pure logic: lines in, actions out (lines to
// send, shares that passed every check, rejections to count). The built-in local pool and the
// proxy's downstream server both feed it; sockets live in their transports. What ASIC
// firmwares send and how each quirk is handled: docs/stratum-server.md.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "ih/kernels/uint256.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/server/job_book.hpp"

namespace ih::stratum::server {

using Clock = std::chrono::steady_clock;

struct ServerOptions {
  double initial_difficulty = 0.0005;
  double min_difficulty = 1e-9;  // a miner's minimum-difficulty / suggest cannot go below
  double max_difficulty = std::numeric_limits<double>::infinity();
  double seconds_per_share = 2;  // vardiff aims here (the proxy: 3 s = 20 shares/min)
  std::chrono::milliseconds retarget_every{4000};
  bool vardiff = true;
  // mining.suggest_difficulty and minimum-difficulty set the difficulty (within the bounds).
  // The built-in local pool ignores suggestions, as the test pools it stands in for do.
  bool honor_suggested_difficulty = false;
  std::uint32_t version_mask = 0x1fffe000;  // the bits this server lets miners roll
  std::string expected_user;                // non-empty: authorize only this worker name
  // One ASIC authorizes one or two names; a proxy upstream authorizes one per rig behind it.
  std::size_t max_workers_per_connection = 64;
};

// A share that met this session's difficulty, with everything needed to forward or prove it.
struct AcceptedShare {
  std::string worker;  // as authorized downstream
  std::string job_id;
  ShareFields fields;  // extranonce1 is this session's
  Header80 header;
  Hash256 hash;
  double difficulty = 0;  // what it is credited at: the difficulty in force, if it meets it
};

struct Rejection {
  int code = 20;  // Stratum error: 20 other, 21 stale, 22 duplicate, 23 low difficulty, 24 auth
  std::string reason;
  std::string worker;
};

struct ServerActions {
  std::vector<std::string> lines;  // to the miner, in order, without '\n'
  std::optional<AcceptedShare> share;
  std::optional<Rejection> rejection;  // a refused share (submit)
  std::string protocol_error;  // a line that is not JSON-RPC, a refused authorize (for logs)
};

class ServerSession {
 public:
  ServerSession(Bytes extranonce1, std::size_t extranonce2_size, ServerOptions options,
                const JobBook* jobs, Clock::time_point now);

  ServerActions on_line(std::string_view line, Clock::time_point now);
  // A new job for everyone: its notify, once this miner is subscribed and authorized.
  std::vector<std::string> on_job(const JobFields& job);
  // Vardiff: a set_difficulty (and a re-notify) when the share rate is far off.
  std::vector<std::string> on_tick(Clock::time_point now);
  // Moves the miner to other work (another pool's jobs and extranonce). With
  // mining.extranonce.subscribe the new extranonce and a clean job are sent and true comes
  // back; without it nothing is sent and false comes back: the owner sends client.reconnect.
  bool rebind(const JobBook* jobs, Bytes extranonce1, std::size_t extranonce2_size,
              std::vector<std::string>& lines);
  // A difficulty the owner imposes (e.g. never below the upstream pool's): sent at once.
  std::vector<std::string> set_difficulty(double difficulty);
  // A new ceiling (the proxy: the upstream pool's difficulty, so every upstream share is
  // seen): the difficulty drops to it at once when above.
  std::vector<std::string> set_max_difficulty(double difficulty);

  bool subscribed() const { return subscribed_; }
  bool authorized() const { return !workers_.empty(); }
  bool extranonce_subscribed() const { return extranonce_subscribed_; }
  double difficulty() const { return difficulty_; }
  std::uint32_t version_mask() const { return version_mask_; }
  const std::string& user_agent() const { return user_agent_; }
  const std::set<std::string>& workers() const { return workers_; }
  const Bytes& extranonce1() const { return extranonce1_; }
  std::size_t extranonce2_size() const { return extranonce2_size_; }

 private:
  std::string notify(const JobFields& job);
  std::string set_difficulty_line();
  void start_work(std::vector<std::string>& out);
  std::optional<Rejection> check_submit(const std::vector<std::string>& params,
                                        AcceptedShare& share);

  Bytes extranonce1_;
  std::size_t extranonce2_size_;
  ServerOptions options_;
  const JobBook* jobs_;
  bool subscribed_ = false;
  bool extranonce_subscribed_ = false;
  bool working_ = false;  // set_difficulty and the first notify went out
  std::string user_agent_;
  std::set<std::string> workers_;
  std::uint32_t version_mask_ = 0;
  double difficulty_;
  std::map<std::string, double> job_difficulty_;  // lowest difficulty in force for each job
  std::set<std::tuple<std::string, std::string, std::string, std::string, std::string>> seen_;
  Clock::time_point window_start_;
  std::uint64_t window_shares_ = 0;
};

}  // namespace ih::stratum::server
