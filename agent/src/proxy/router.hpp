// Which upstream pool each downstream worker mines on (issue 14, docs/proxy-routing.md). Pure:
// the proxy runtime feeds in pool health and worker estimates every rebalance_interval_seconds and
// applies the moves it gets back.
//
// The rule:
//  Destinations. The usable main pools are the healthy ones with a target_hashrate (target
//    pools) or a weight > 0 (weighted pools). When there is none, the healthy backup pools are
//    the destinations (each an equal share); when there is no healthy backup either, workers are
//    unplaced.
//  Desired hashrate. With E the sum of all estimates: a target pool wants its target; the
//    weighted pools share max(0, E - sum of targets) in proportion to weight. Without a weighted
//    pool, the target pools share that excess equally on top of their targets. Backups: E / n.
//    Pools that are not destinations want 0.
//  Placement (ideal assignment from scratch; also where forced workers go):
//   (b) Estimated workers, largest first (ties: id), go to the target pool with the largest
//       remaining deficit among those the worker brings closer to their target (it fits when
//       its size is under twice the deficit). So a target pool ends over its target by less than
//       half of the smallest worker it holds, or under it by at most half of the smallest
//       worker the target pools left to the others (none left: the fleet is short).
//   (c) The rest go, largest first, to the weighted pool with the least hashrate per weight.
//       Without a weighted pool: to the target pool least over its target; in backup mode, to
//       the backup holding the least.
//   (d) Workers without an estimate (ordered by id) are spread by count: to the weighted pool with
//       the fewest of them per weight, else the target pool, else the backup, with the fewest.
//  Moves against a current assignment:
//   (a) A worker that is unassigned, on a pool not in `pools`, or on an unhealthy pool is placed
//       now by (b)-(d), ignoring the threshold and min_reassign_interval_seconds. A worker on a
//       healthy pool that is no destination (the backup once a main is back, a weight-0 pool) is
//       placed the same way once its last move is min_reassign_interval_seconds old.
//   (e) Hysteresis: everyone else stays unless some destination is off its desired hashrate by
//       more than rebalance_threshold_percent (|assigned - desired| / desired; a pool desiring 0
//       that holds hashrate counts as off). Then, starting from the current assignment, the one
//       move of an estimated worker (whose last move is at least min_reassign_interval_seconds old,
//       not yet moved in this plan) that lowers the total error sum |assigned - desired| the most
//       is made, repeatedly, until no move lowers it. Few moves, never a move that makes it worse.
//  Deterministic: the same inputs give the same plan, whatever their order.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "proxy/proxy_config.hpp"

namespace ih::proxy {

using RouterClock = std::chrono::steady_clock;

struct PoolState {
  std::size_t index = 0;  // the runtime's pool number, unique
  bool healthy = true;
  std::optional<double> target_hs;  // set: a target pool, weight unused
  double weight = 1;
  bool backup = false;
};

struct WorkerState {
  std::string id;                           // unique
  std::optional<double> estimated_hs;       // nullopt (or negative / not finite): placed by count
  std::optional<std::size_t> current_pool;  // a PoolState::index
  std::optional<RouterClock::time_point> last_moved;  // nullopt: never moved, free to move
};

enum class MoveReason {
  unassigned,      // new worker, or its pool is no longer configured
  pool_unhealthy,  // failover: immediate
  pool_unused,     // its pool is healthy but gets no workers now (backup while a main is up)
  rebalance,       // a pool was past the threshold
};
std::string_view to_string(MoveReason reason);

struct WorkerMove {
  std::string worker_id;
  std::optional<std::size_t> from;  // pool index; nullopt: was unassigned
  std::size_t to = 0;
  MoveReason reason = MoveReason::rebalance;
};

// One pool's line for the status endpoint.
struct PoolSplit {
  std::size_t index = 0;
  double desired_hs = 0;
  double assigned_hs = 0;  // sum of the estimates of its workers
  std::size_t workers = 0;
  std::size_t unestimated_workers = 0;  // of `workers`, those without an estimate
};

struct RoutingPlan {
  std::map<std::string, std::size_t> assignment;  // worker id -> pool index
  std::vector<WorkerMove> moves;                  // forced moves first, then rebalance moves
  std::vector<PoolSplit> splits;                  // one per pool, in the order given
  std::vector<std::string> unplaced;              // no healthy pool to go to (by id)
  bool threshold_exceeded = false;                // (e) ran
};

RoutingPlan route(const std::vector<PoolState>& pools, const std::vector<WorkerState>& workers,
                  const RoutingConfig& config, RouterClock::time_point now);

// The configured pools as the router sees them, all healthy: main pools numbered 0..n-1 in file
// order, the backup (if any) n.
std::vector<PoolState> pool_states(const ProxyConfig& config);

// (b)-(d) from scratch, as if no worker had a pool.
std::map<std::string, std::size_t> ideal_assignment(const std::vector<PoolState>& pools,
                                                    const std::vector<WorkerState>& workers);

// |assigned - desired| / desired in percent; nullopt when desired is 0.
std::optional<double> split_error_percent(const PoolSplit& split);

}  // namespace ih::proxy
