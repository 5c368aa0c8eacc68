// The routing rule (proxy/router.hpp): targets met within half a worker, weights by share,
// failover and return, hysteresis, min_reassign_interval_seconds, unestimated workers, the backup.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "proxy/router.hpp"

namespace ih::proxy {
namespace {

using std::chrono::minutes;
using std::chrono::seconds;

constexpr double TH = 1e12;
const RouterClock::time_point kT0 = RouterClock::time_point{} + std::chrono::hours(100);

PoolState target_pool(std::size_t index, double target_th) {
  PoolState p;
  p.index = index;
  p.target_hs = target_th * TH;
  return p;
}

PoolState weighted_pool(std::size_t index, double weight) {
  PoolState p;
  p.index = index;
  p.weight = weight;
  return p;
}

PoolState backup_pool(std::size_t index) {
  PoolState p;
  p.index = index;
  p.backup = true;
  return p;
}

WorkerState worker(const std::string& id, std::optional<double> th) {
  WorkerState w;
  w.id = id;
  if (th) w.estimated_hs = *th * TH;
  return w;
}

std::vector<WorkerState> sized_workers(const std::vector<double>& sizes_th) {
  std::vector<WorkerState> out;
  for (std::size_t i = 0; i < sizes_th.size(); ++i) {
    std::string id = "w";  // appended: GCC 12 warns falsely on "w" + std::string
    id += std::to_string(10 + i);
    out.push_back(worker(id, sizes_th[i]));
  }
  return out;
}

// What the runtime does with a plan: workers take their pools, moved ones remember when.
void apply(std::vector<WorkerState>& workers, const RoutingPlan& plan,
           RouterClock::time_point now) {
  for (WorkerState& w : workers) {
    const auto it = plan.assignment.find(w.id);
    w.current_pool =
        it == plan.assignment.end() ? std::nullopt : std::optional<std::size_t>(it->second);
    for (const WorkerMove& m : plan.moves)
      if (m.worker_id == w.id) w.last_moved = now;
  }
}

const PoolSplit& split_of(const RoutingPlan& plan, std::size_t index) {
  for (const PoolSplit& s : plan.splits)
    if (s.index == index) return s;
  ADD_FAILURE() << "no split for pool " << index;
  static const PoolSplit none;
  return none;
}

// The documented bound for a target pool: over its target by less than half of the smallest
// worker it holds, or under it by at most half of the smallest estimated worker elsewhere.
void expect_within_bound(const RoutingPlan& plan, const std::vector<WorkerState>& workers,
                         std::size_t pool, double target_hs) {
  double held = 0, smallest_in = std::numeric_limits<double>::infinity(),
         smallest_out = smallest_in;
  for (const WorkerState& w : workers) {
    if (!w.estimated_hs) continue;
    const auto it = plan.assignment.find(w.id);
    if (it != plan.assignment.end() && it->second == pool) {
      held += *w.estimated_hs;
      smallest_in = std::min(smallest_in, *w.estimated_hs);
    } else {
      smallest_out = std::min(smallest_out, *w.estimated_hs);
    }
  }
  EXPECT_DOUBLE_EQ(split_of(plan, pool).assigned_hs, held);
  if (held >= target_hs)
    EXPECT_LT(held - target_hs, smallest_in / 2) << held / TH << " TH/s for " << target_hs / TH;
  else
    EXPECT_LE(target_hs - held, smallest_out / 2) << held / TH << " TH/s for " << target_hs / TH;
}

std::size_t count_on(const RoutingPlan& plan, std::size_t pool) {
  return static_cast<std::size_t>(std::count_if(plan.assignment.begin(), plan.assignment.end(),
                                                [&](const auto& a) { return a.second == pool; }));
}

const std::vector<double> kTwelve = {450, 420, 390, 360, 330, 300, 270, 240, 210, 180, 150, 110};

TEST(ProxyRouter, TwelveUnequalWorkersMeetTheTargetWithinTheBound) {
  const std::vector<PoolState> pools = {target_pool(0, 1500), weighted_pool(1, 1)};
  const auto workers = sized_workers(kTwelve);
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0);
  ASSERT_EQ(plan.assignment.size(), 12u);
  ASSERT_EQ(plan.moves.size(), 12u);
  for (const WorkerMove& m : plan.moves) {
    EXPECT_EQ(m.reason, MoveReason::unassigned);
    EXPECT_FALSE(m.from.has_value());
  }
  expect_within_bound(plan, workers, 0, 1500 * TH);
  // 450 + 420 + 390 + 360: the largest first, each while it brings the sum closer.
  EXPECT_DOUBLE_EQ(split_of(plan, 0).assigned_hs, 1620 * TH);
  EXPECT_DOUBLE_EQ(split_of(plan, 0).desired_hs, 1500 * TH);
  EXPECT_DOUBLE_EQ(split_of(plan, 1).desired_hs, (3410 - 1500) * TH);
  EXPECT_DOUBLE_EQ(split_of(plan, 1).assigned_hs, (3410 - 1620) * TH);
  EXPECT_EQ(split_of(plan, 1).workers, 8u);
  EXPECT_EQ(plan.assignment, ideal_assignment(pools, workers));
  EXPECT_TRUE(plan.unplaced.empty());

  // Every target along the way stays within the bound, from scratch.
  for (double target = 0; target <= 3600; target += 37) {
    const std::vector<PoolState> p = {target_pool(0, target), weighted_pool(1, 1)};
    expect_within_bound(route(p, workers, RoutingConfig{}, kT0), workers, 0, target * TH);
  }
}

TEST(ProxyRouter, TwoTargetPoolsEachMeetTheBound) {
  const std::vector<PoolState> pools = {target_pool(0, 700), target_pool(1, 500),
                                        weighted_pool(2, 1)};
  const auto workers = sized_workers(kTwelve);
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0);
  double smallest_left = std::numeric_limits<double>::infinity();
  for (const WorkerState& w : workers)
    if (plan.assignment.at(w.id) == 2) smallest_left = std::min(smallest_left, *w.estimated_hs);
  for (std::size_t pool : {0u, 1u}) {
    const PoolSplit& s = split_of(plan, pool);
    double smallest_held = std::numeric_limits<double>::infinity();
    for (const WorkerState& w : workers)
      if (plan.assignment.at(w.id) == pool)
        smallest_held = std::min(smallest_held, *w.estimated_hs);
    if (s.assigned_hs >= s.desired_hs)
      EXPECT_LT(s.assigned_hs - s.desired_hs, smallest_held / 2) << pool;
    else
      EXPECT_LE(s.desired_hs - s.assigned_hs, smallest_left / 2) << pool;
  }
  EXPECT_DOUBLE_EQ(split_of(plan, 2).desired_hs, (3410 - 1200) * TH);
}

TEST(ProxyRouter, TargetChangeMovesWorkers) {
  std::vector<PoolState> pools = {target_pool(0, 1500), weighted_pool(1, 1)};
  auto workers = sized_workers(kTwelve);
  apply(workers, route(pools, workers, RoutingConfig{}, kT0), kT0);

  const auto later = kT0 + minutes(10);
  pools[0].target_hs = 800 * TH;  // the tooling rewrote pools.toml after an auction
  const RoutingPlan down = route(pools, workers, RoutingConfig{}, later);
  EXPECT_TRUE(down.threshold_exceeded);
  ASSERT_FALSE(down.moves.empty());
  for (const WorkerMove& m : down.moves) {
    EXPECT_EQ(m.reason, MoveReason::rebalance);
    EXPECT_EQ(m.from, 0u);
    EXPECT_EQ(m.to, 1u);
  }
  expect_within_bound(down, workers, 0, 800 * TH);
  apply(workers, down, later);

  pools[0].target_hs = 2500 * TH;
  const RoutingPlan up = route(pools, workers, RoutingConfig{}, later + minutes(10));
  ASSERT_FALSE(up.moves.empty());
  for (const WorkerMove& m : up.moves) EXPECT_EQ(m.to, 0u);
  expect_within_bound(up, workers, 0, 2500 * TH);
}

TEST(ProxyRouter, UnhealthyPoolsWorkersMoveNowAndReturnAfterTheInterval) {
  std::vector<PoolState> pools = {target_pool(0, 1000), weighted_pool(1, 1)};
  auto workers = sized_workers({250, 250, 250, 250, 250, 250, 250, 250});
  RoutingConfig config;
  apply(workers, route(pools, workers, config, kT0), kT0);
  ASSERT_EQ(count_on(route(pools, workers, config, kT0), 0), 4u);

  // Failover ignores min_reassign_interval_seconds: the workers moved a minute ago move again.
  pools[0].healthy = false;
  const auto t1 = kT0 + minutes(1);
  const RoutingPlan failover = route(pools, workers, config, t1);
  ASSERT_EQ(failover.moves.size(), 4u);
  for (const WorkerMove& m : failover.moves) {
    EXPECT_EQ(m.reason, MoveReason::pool_unhealthy);
    EXPECT_EQ(m.from, 0u);
    EXPECT_EQ(m.to, 1u);
  }
  EXPECT_EQ(count_on(failover, 1), 8u);
  EXPECT_DOUBLE_EQ(split_of(failover, 0).desired_hs, 0);
  apply(workers, failover, t1);

  // Healthy again: nobody has settled yet, so nobody moves.
  pools[0].healthy = true;
  const RoutingPlan early = route(pools, workers, config, t1 + minutes(1));
  EXPECT_TRUE(early.threshold_exceeded);
  EXPECT_TRUE(early.moves.empty());
  EXPECT_EQ(count_on(early, 1), 8u);

  // Once min_reassign_interval_seconds has passed, they return.
  const RoutingPlan back = route(pools, workers, config, t1 + config.min_reassign_interval_seconds);
  ASSERT_EQ(back.moves.size(), 4u);
  for (const WorkerMove& m : back.moves) {
    EXPECT_EQ(m.reason, MoveReason::rebalance);
    EXPECT_EQ(m.to, 0u);
  }
  EXPECT_DOUBLE_EQ(split_of(back, 0).assigned_hs, 1000 * TH);
}

// T: 500 + 500 on a 1000 TH/s target; W: 4 x 250. Everyone settled long ago.
struct Balanced {
  std::vector<PoolState> pools = {target_pool(0, 1000), weighted_pool(1, 1)};
  std::vector<WorkerState> workers = sized_workers({500, 500, 250, 250, 250, 250});
  Balanced() {
    apply(workers, route(pools, workers, RoutingConfig{}, kT0), kT0);
    EXPECT_DOUBLE_EQ(split_of(route(pools, workers, RoutingConfig{}, kT0), 0).assigned_hs,
                     1000 * TH);
  }
};

TEST(ProxyRouter, HysteresisHoldsBelowTheThreshold) {
  Balanced b;
  b.workers[0].estimated_hs = 540 * TH;  // T 4 % over, W 3.8 % under
  const RoutingPlan small = route(b.pools, b.workers, RoutingConfig{}, kT0 + minutes(30));
  EXPECT_FALSE(small.threshold_exceeded);
  EXPECT_TRUE(small.moves.empty());

  b.workers[1].estimated_hs = 300 * TH;  // T 840: 16 % under
  const RoutingPlan big = route(b.pools, b.workers, RoutingConfig{}, kT0 + minutes(30));
  EXPECT_TRUE(big.threshold_exceeded);
  ASSERT_EQ(big.moves.size(), 1u);  // one 250 from W to T is the only move that helps
  EXPECT_EQ(big.moves[0].reason, MoveReason::rebalance);
  EXPECT_EQ(big.moves[0].to, 0u);
  EXPECT_DOUBLE_EQ(split_of(big, 0).assigned_hs, 1090 * TH);

  RoutingConfig loose;
  loose.rebalance_threshold_percent = 20;
  EXPECT_TRUE(route(b.pools, b.workers, loose, kT0 + minutes(30)).moves.empty());
}

TEST(ProxyRouter, MinReassignIntervalIsHonoured) {
  Balanced b;
  b.workers[1].estimated_hs = 300 * TH;
  RoutingConfig config;
  for (WorkerState& w : b.workers) w.last_moved = kT0 + minutes(30) - seconds(100);
  const RoutingPlan plan = route(b.pools, b.workers, config, kT0 + minutes(30));
  EXPECT_TRUE(plan.threshold_exceeded);
  EXPECT_TRUE(plan.moves.empty());

  // Only the settled worker may go.
  b.workers[5].last_moved = kT0;
  const RoutingPlan one = route(b.pools, b.workers, config, kT0 + minutes(30));
  ASSERT_EQ(one.moves.size(), 1u);
  EXPECT_EQ(one.moves[0].worker_id, b.workers[5].id);

  config.min_reassign_interval_seconds = seconds(0);
  EXPECT_EQ(route(b.pools, b.workers, config, kT0 + minutes(30)).moves.size(), 1u);
}

TEST(ProxyRouter, WorkersWithoutEstimateAreSpreadByCountOverWeightedPools) {
  const std::vector<PoolState> pools = {target_pool(0, 1000), weighted_pool(1, 1),
                                        weighted_pool(2, 3)};
  std::vector<WorkerState> workers;
  for (char c = 'a'; c < 'i'; ++c) workers.push_back(worker(std::string("new-") + c, std::nullopt));
  workers.push_back(worker("big", 900));
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0);
  EXPECT_EQ(plan.assignment.at("big"), 0u);  // only estimates fill targets
  EXPECT_EQ(split_of(plan, 0).unestimated_workers, 0u);
  EXPECT_EQ(split_of(plan, 1).unestimated_workers, 2u);
  EXPECT_EQ(split_of(plan, 2).unestimated_workers, 6u);
  EXPECT_EQ(split_of(plan, 2).workers, 6u);

  // Without a weighted pool they spread over the target pools.
  const std::vector<PoolState> targets = {target_pool(0, 1000), target_pool(1, 10)};
  const RoutingPlan t = route(targets, workers, RoutingConfig{}, kT0);
  EXPECT_EQ(split_of(t, 0).unestimated_workers, 4u);
  EXPECT_EQ(split_of(t, 1).unestimated_workers, 4u);
}

TEST(ProxyRouter, WeightsShareWhatTargetsLeave) {
  const std::vector<PoolState> pools = {weighted_pool(0, 1), weighted_pool(1, 3),
                                        weighted_pool(2, 0)};
  const auto workers = sized_workers(std::vector<double>(40, 100));
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0);
  EXPECT_EQ(count_on(plan, 0), 10u);
  EXPECT_EQ(count_on(plan, 1), 30u);
  EXPECT_EQ(count_on(plan, 2), 0u);  // weight 0: no workers
  EXPECT_DOUBLE_EQ(split_of(plan, 1).desired_hs, 3000 * TH);
}

TEST(ProxyRouter, WithoutAWeightedPoolLeftoversGoToTheTargetLeastOver) {
  const std::vector<PoolState> pools = {target_pool(0, 300), target_pool(1, 100)};
  const auto workers = sized_workers({100, 100, 100, 100, 100, 100, 100, 100});
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0);
  // 300 + 100 by target, then 400 leftover shared equally: 500 and 300.
  EXPECT_DOUBLE_EQ(split_of(plan, 0).assigned_hs, 500 * TH);
  EXPECT_DOUBLE_EQ(split_of(plan, 1).assigned_hs, 300 * TH);
  EXPECT_DOUBLE_EQ(split_of(plan, 0).desired_hs, 500 * TH);
  EXPECT_DOUBLE_EQ(split_of(plan, 1).desired_hs, 300 * TH);
}

TEST(ProxyRouter, AllMainsUnhealthyGoToTheBackupAndBackAfterTheInterval) {
  std::vector<PoolState> pools = {target_pool(0, 500), weighted_pool(1, 1), backup_pool(2)};
  auto workers = sized_workers({300, 200, 100});
  workers.push_back(worker("fresh", std::nullopt));
  RoutingConfig config;
  apply(workers, route(pools, workers, config, kT0), kT0);
  EXPECT_EQ(count_on(route(pools, workers, config, kT0), 2), 0u);  // backup unused while mains run

  pools[0].healthy = pools[1].healthy = false;
  const auto t1 = kT0 + minutes(10);
  const RoutingPlan failover = route(pools, workers, config, t1);
  EXPECT_EQ(count_on(failover, 2), 4u);
  EXPECT_EQ(failover.moves.size(), 4u);
  for (const WorkerMove& m : failover.moves) EXPECT_EQ(m.reason, MoveReason::pool_unhealthy);
  EXPECT_DOUBLE_EQ(split_of(failover, 2).desired_hs, 600 * TH);
  apply(workers, failover, t1);

  pools[0].healthy = pools[1].healthy = true;
  EXPECT_TRUE(route(pools, workers, config, t1 + minutes(1)).moves.empty());
  const RoutingPlan back = route(pools, workers, config, t1 + config.min_reassign_interval_seconds);
  EXPECT_EQ(back.moves.size(), 4u);
  for (const WorkerMove& m : back.moves) {
    EXPECT_EQ(m.reason, MoveReason::pool_unused);
    EXPECT_EQ(m.from, 2u);
  }
  EXPECT_EQ(count_on(back, 2), 0u);
  expect_within_bound(back, workers, 0, 500 * TH);

  // Nothing healthy at all: unplaced, not sent to a dead pool.
  for (PoolState& p : pools) p.healthy = false;
  const RoutingPlan none = route(pools, workers, config, t1 + minutes(20));
  EXPECT_TRUE(none.assignment.empty());
  EXPECT_EQ(none.unplaced.size(), 4u);
}

TEST(ProxyRouter, NewWorkerFillsTheLargestGap) {
  const std::vector<PoolState> pools = {target_pool(0, 1000), weighted_pool(1, 1)};
  auto workers = sized_workers({500, 400, 300});
  apply(workers, route(pools, workers, RoutingConfig{}, kT0), kT0);
  workers.push_back(worker("late", 100));
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0 + seconds(5));
  ASSERT_EQ(plan.moves.size(), 1u);
  EXPECT_EQ(plan.moves[0].worker_id, "late");
  EXPECT_EQ(plan.moves[0].reason, MoveReason::unassigned);
  EXPECT_EQ(plan.moves[0].to, 0u);  // 900 of 1000: 100 fits exactly
}

TEST(ProxyRouter, RemovedPoolsWorkersAreReassigned) {
  const std::vector<PoolState> pools = {weighted_pool(0, 1)};
  auto workers = sized_workers({100});
  workers[0].current_pool = 7;  // gone after a reload
  workers[0].last_moved = kT0;
  const RoutingPlan plan = route(pools, workers, RoutingConfig{}, kT0 + seconds(1));
  ASSERT_EQ(plan.moves.size(), 1u);
  EXPECT_EQ(plan.moves[0].reason, MoveReason::unassigned);
  EXPECT_EQ(plan.moves[0].from, 7u);
  EXPECT_EQ(plan.assignment.at(workers[0].id), 0u);
}

TEST(ProxyRouter, SameInputsInAnyOrderGiveTheSamePlan) {
  const std::vector<PoolState> pools = {target_pool(0, 1300), weighted_pool(1, 2),
                                        weighted_pool(2, 1)};
  auto workers = sized_workers({300, 300, 200, 200, 200, 150, 150, 100, 100, 100});
  workers.push_back(worker("u1", std::nullopt));
  workers.push_back(worker("u2", std::nullopt));
  const RoutingPlan a = route(pools, workers, RoutingConfig{}, kT0);
  std::reverse(workers.begin(), workers.end());
  std::rotate(workers.begin(), workers.begin() + 5, workers.end());
  const RoutingPlan b = route(pools, workers, RoutingConfig{}, kT0);
  EXPECT_EQ(a.assignment, b.assignment);
  ASSERT_EQ(a.moves.size(), b.moves.size());
  for (std::size_t i = 0; i < a.moves.size(); ++i)
    EXPECT_EQ(a.moves[i].worker_id, b.moves[i].worker_id);
}

TEST(ProxyRouter, PoolStatesFromTheConfig) {
  ProxyConfig config;
  config.main.resize(2);
  config.main[0].target_hashrate = 300 * TH;
  config.main[1].weight = 2;
  config.backup.emplace();
  config.backup->backup = true;
  config.backup->target_hashrate = 1;  // ignored for the backup
  const auto states = pool_states(config);
  ASSERT_EQ(states.size(), 3u);
  EXPECT_EQ(states[0].index, 0u);
  EXPECT_EQ(states[0].target_hs, 300 * TH);
  EXPECT_EQ(states[1].weight, 2);
  EXPECT_FALSE(states[1].target_hs.has_value());
  EXPECT_EQ(states[2].index, 2u);
  EXPECT_TRUE(states[2].backup);
  EXPECT_FALSE(states[2].target_hs.has_value());
  EXPECT_TRUE(states[2].healthy);
}

TEST(ProxyRouter, SplitErrorPercent) {
  EXPECT_DOUBLE_EQ(split_error_percent({0, 100, 110, 1, 0}).value_or(0), 10.0);
  EXPECT_FALSE(split_error_percent({0, 0, 110, 1, 0}).has_value());
  EXPECT_EQ(to_string(MoveReason::pool_unhealthy), "pool_unhealthy");
}

}  // namespace
}  // namespace ih::proxy
