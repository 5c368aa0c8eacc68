#include "proxy/router.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace ih::proxy {

namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

enum class Mode { targets_and_weights, targets_only, weights_only, backup_only, nowhere };

struct Worker {
  const WorkerState* in;
  std::optional<double> hs;  // a usable estimate
  std::size_t pos = kNone;   // position in `pools`
  bool moved = false;
};

// The pools with what they hold while the plan is made.
class Board {
 public:
  explicit Board(const std::vector<PoolState>& pools)
      : pools_(pools),
        held_(pools.size(), 0.0),
        unestimated_(pools.size(), 0),
        count_(pools.size(), 0),
        desired_(pools.size(), 0.0),
        destination_(pools.size(), false) {
    bool any_target = false, any_weight = false;
    for (std::size_t p = 0; p < pools.size(); ++p) {
      if (!pools[p].healthy || pools[p].backup) continue;
      if (is_target(p))
        any_target = true;
      else if (weight(p) > 0)
        any_weight = true;
    }
    bool any_backup = false;
    for (const PoolState& pool : pools) any_backup = any_backup || (pool.healthy && pool.backup);
    mode_ = any_target && any_weight ? Mode::targets_and_weights
            : any_target             ? Mode::targets_only
            : any_weight             ? Mode::weights_only
            : any_backup             ? Mode::backup_only
                                     : Mode::nowhere;
    for (std::size_t p = 0; p < pools.size(); ++p) {
      const PoolState& pool = pools[p];
      if (!pool.healthy) continue;
      destination_[p] = mode_ == Mode::backup_only
                            ? pool.backup
                            : !pool.backup && (is_target(p) || weight(p) > 0);
    }
  }

  Mode mode() const { return mode_; }
  std::size_t size() const { return pools_.size(); }
  bool destination(std::size_t p) const { return destination_[p]; }
  double held(std::size_t p) const { return held_[p]; }
  double desired(std::size_t p) const { return desired_[p]; }
  std::size_t count(std::size_t p) const { return count_[p]; }
  std::size_t unestimated(std::size_t p) const { return unestimated_[p]; }

  bool is_target(std::size_t p) const {
    return !pools_[p].backup && pools_[p].target_hs && std::isfinite(*pools_[p].target_hs) &&
           *pools_[p].target_hs >= 0;
  }
  double target(std::size_t p) const { return *pools_[p].target_hs; }
  double weight(std::size_t p) const {
    const double w = pools_[p].weight;
    return std::isfinite(w) && w > 0 ? w : 0;
  }
  bool target_destination(std::size_t p) const { return destination_[p] && is_target(p); }
  bool weighted_destination(std::size_t p) const {
    return destination_[p] && !is_target(p) && mode_ != Mode::backup_only;
  }

  // The desired hashrate of every pool for a fleet of `total` H/s (see the header).
  void set_desired(double total) {
    double targets = 0, weights = 0;
    std::size_t target_pools = 0, backups = 0;
    for (std::size_t p = 0; p < size(); ++p) {
      if (target_destination(p)) {
        targets += target(p);
        ++target_pools;
      } else if (weighted_destination(p)) {
        weights += weight(p);
      } else if (destination_[p]) {
        ++backups;
      }
    }
    const double excess = std::max(0.0, total - targets);
    for (std::size_t p = 0; p < size(); ++p) {
      if (target_destination(p))
        desired_[p] = target(p) + (mode_ == Mode::targets_only ? excess / target_pools : 0.0);
      else if (weighted_destination(p))
        desired_[p] = excess * weight(p) / weights;
      else if (destination_[p])
        desired_[p] = total / static_cast<double>(backups);
    }
  }

  void add(Worker& w, std::size_t p) {
    w.pos = p;
    ++count_[p];
    if (w.hs)
      held_[p] += *w.hs;
    else
      ++unestimated_[p];
  }
  void remove(Worker& w) {
    const std::size_t p = w.pos;
    w.pos = kNone;
    if (p == kNone) return;
    --count_[p];
    if (w.hs)
      held_[p] -= *w.hs;
    else
      --unestimated_[p];
  }

  // The lowest `key` among the pools `accept` takes; ties: the first pool. kNone: none.
  template <typename Accept, typename Key>
  std::size_t pick(Accept accept, Key key) const {
    std::size_t best = kNone;
    double best_key = 0;
    for (std::size_t p = 0; p < size(); ++p) {
      if (!accept(p)) continue;
      const double k = key(p);
      if (best == kNone || k < best_key) {
        best = p;
        best_key = k;
      }
    }
    return best;
  }

  // Where (b)-(d) put this worker given what the pools hold now; kNone: nowhere.
  std::size_t placement(const Worker& w) const {
    const auto targets = [&](std::size_t p) { return target_destination(p); };
    const auto weighted = [&](std::size_t p) { return weighted_destination(p); };
    const auto any = [&](std::size_t p) { return destination_[p]; };
    if (!w.hs) {
      const auto per_weight = [&](std::size_t p) {
        return static_cast<double>(unestimated_[p]) / weight(p);
      };
      const auto by_count = [&](std::size_t p) { return static_cast<double>(unestimated_[p]); };
      if (mode_ == Mode::targets_and_weights || mode_ == Mode::weights_only)
        return pick(weighted, per_weight);
      return pick(any, by_count);
    }
    const double hs = *w.hs;
    if (mode_ == Mode::targets_and_weights || mode_ == Mode::targets_only) {
      const auto fits = [&](std::size_t p) {
        return target_destination(p) && hs < 2 * (target(p) - held_[p]);
      };
      const std::size_t p = pick(fits, [&](std::size_t q) { return held_[q] - target(q); });
      if (p != kNone) return p;
    }
    switch (mode_) {
      case Mode::targets_and_weights:
      case Mode::weights_only:
        return pick(weighted, [&](std::size_t p) { return held_[p] / weight(p); });
      case Mode::targets_only:
        return pick(targets, [&](std::size_t p) { return held_[p] - target(p); });
      case Mode::backup_only:
        return pick(any, [&](std::size_t p) { return held_[p]; });
      case Mode::nowhere:
        break;
    }
    return kNone;
  }

  double error(std::size_t p) const { return std::abs(held_[p] - desired_[p]); }

  bool off_threshold(std::size_t p, double percent) const {
    if (desired_[p] <= 0) return held_[p] > 0;
    return error(p) / desired_[p] * 100.0 > percent;
  }

 private:
  const std::vector<PoolState>& pools_;
  std::vector<double> held_;
  std::vector<std::size_t> unestimated_;
  std::vector<std::size_t> count_;
  std::vector<double> desired_;
  std::vector<bool> destination_;
  Mode mode_ = Mode::nowhere;
};

std::optional<double> usable(const std::optional<double>& hs) {
  if (hs && std::isfinite(*hs) && *hs >= 0) return hs;
  return std::nullopt;
}

// Largest estimate first, then the unestimated; ties and the unestimated by id.
bool placement_order(const Worker* a, const Worker* b) {
  if (a->hs.has_value() != b->hs.has_value()) return a->hs.has_value();
  if (a->hs && *a->hs != *b->hs) return *a->hs > *b->hs;
  return a->in->id < b->in->id;
}

struct Placed {
  Worker* worker;
  MoveReason reason;
  std::size_t home =
      kNone;  // pool_unused: the healthy pool it goes back to if nothing else takes it
};

// (e): the best single moves while they lower the total error.
void rebalance(Board& board, std::vector<Worker*>& candidates, double epsilon,
               std::vector<Placed>& moves) {
  std::sort(candidates.begin(), candidates.end(), placement_order);
  for (;;) {
    double best_gain = epsilon;
    Worker* best = nullptr;
    std::size_t best_to = kNone;
    for (Worker* w : candidates) {
      if (w->moved) continue;
      const std::size_t from = w->pos;
      const double hs = *w->hs;
      const double leave =
          std::abs(board.held(from) - hs - board.desired(from)) - board.error(from);
      for (std::size_t to = 0; to < board.size(); ++to) {
        if (to == from || !board.destination(to)) continue;
        const double join = std::abs(board.held(to) + hs - board.desired(to)) - board.error(to);
        const double gain = -(leave + join);
        if (gain > best_gain) {
          best_gain = gain;
          best = w;
          best_to = to;
        }
      }
    }
    if (!best) return;
    board.remove(*best);
    board.add(*best, best_to);
    best->moved = true;
    moves.push_back({best, MoveReason::rebalance});
  }
}

RoutingPlan make_plan(const std::vector<PoolState>& pools, const std::vector<WorkerState>& workers,
                      const RoutingConfig& config, RouterClock::time_point now,
                      bool ignore_current) {
  Board board(pools);
  std::map<std::size_t, std::size_t> position;
  for (std::size_t p = 0; p < pools.size(); ++p) position.emplace(pools[p].index, p);

  std::vector<Worker> all;
  all.reserve(workers.size());
  for (const WorkerState& in : workers) all.push_back({&in, usable(in.estimated_hs)});
  std::sort(all.begin(), all.end(),
            [](const Worker& a, const Worker& b) { return a.in->id < b.in->id; });

  double total = 0;
  for (const Worker& w : all) total += w.hs.value_or(0);
  board.set_desired(total);

  const auto settled = [&](const Worker& w) {
    return !w.in->last_moved || now - *w.in->last_moved >= config.min_reassign_interval_seconds;
  };

  // Who stays where they are, who must be placed, and why.
  std::vector<Placed> to_place;
  for (Worker& w : all) {
    const auto current = ignore_current ? std::nullopt : w.in->current_pool;
    const auto found = current ? position.find(*current) : position.end();
    if (!current || found == position.end()) {
      to_place.push_back({&w, MoveReason::unassigned});
    } else if (!pools[found->second].healthy) {
      to_place.push_back({&w, MoveReason::pool_unhealthy});
    } else {
      board.add(w, found->second);
      if (!board.destination(found->second) && settled(w)) {
        board.remove(w);
        to_place.push_back({&w, MoveReason::pool_unused, found->second});
      }
    }
  }
  std::sort(to_place.begin(), to_place.end(),
            [](const Placed& a, const Placed& b) { return placement_order(a.worker, b.worker); });

  RoutingPlan plan;
  std::vector<Placed> moves;
  for (const Placed& item : to_place) {
    Worker& w = *item.worker;
    const std::size_t p = board.placement(w);
    if (p == kNone) {
      if (item.home != kNone) board.add(w, item.home);  // nothing better: it keeps mining there
      continue;
    }
    board.add(w, p);
    w.moved = true;
    moves.push_back(item);
  }

  for (std::size_t p = 0; p < board.size(); ++p)
    plan.threshold_exceeded =
        plan.threshold_exceeded || board.off_threshold(p, config.rebalance_threshold_percent);
  if (plan.threshold_exceeded) {
    std::vector<Worker*> candidates;
    for (Worker& w : all)
      if (!w.moved && w.hs && w.pos != kNone && settled(w)) candidates.push_back(&w);
    // Gains below a billionth of the fleet are rounding, not balance.
    rebalance(board, candidates, 1e-9 * std::max(1.0, total), moves);
  }

  for (const Placed& m : moves) {
    const auto from = ignore_current ? std::nullopt : m.worker->in->current_pool;
    plan.moves.push_back({m.worker->in->id, from, pools[m.worker->pos].index, m.reason});
  }
  for (const Worker& w : all) {
    if (w.pos == kNone)
      plan.unplaced.push_back(w.in->id);
    else
      plan.assignment[w.in->id] = pools[w.pos].index;
  }
  for (std::size_t p = 0; p < board.size(); ++p)
    plan.splits.push_back(
        {pools[p].index, board.desired(p), board.held(p), board.count(p), board.unestimated(p)});
  return plan;
}

}  // namespace

std::string_view to_string(MoveReason reason) {
  switch (reason) {
    case MoveReason::unassigned:
      return "unassigned";
    case MoveReason::pool_unhealthy:
      return "pool_unhealthy";
    case MoveReason::pool_unused:
      return "pool_unused";
    case MoveReason::rebalance:
      return "rebalance";
  }
  return "unknown";
}

RoutingPlan route(const std::vector<PoolState>& pools, const std::vector<WorkerState>& workers,
                  const RoutingConfig& config, RouterClock::time_point now) {
  return make_plan(pools, workers, config, now, false);
}

std::vector<PoolState> pool_states(const ProxyConfig& config) {
  std::vector<PoolState> out;
  const auto add = [&](const ProxyPool& pool) {
    PoolState state;
    state.index = out.size();
    state.target_hs = pool.backup ? std::nullopt : pool.target_hashrate;
    state.weight = pool.weight;
    state.backup = pool.backup;
    out.push_back(state);
  };
  for (const ProxyPool& pool : config.main) add(pool);
  if (config.backup) add(*config.backup);
  return out;
}

std::map<std::string, std::size_t> ideal_assignment(const std::vector<PoolState>& pools,
                                                    const std::vector<WorkerState>& workers) {
  return make_plan(pools, workers, RoutingConfig{}, RouterClock::time_point{}, true).assignment;
}

std::optional<double> split_error_percent(const PoolSplit& split) {
  if (split.desired_hs <= 0) return std::nullopt;
  return std::abs(split.assigned_hs - split.desired_hs) / split.desired_hs * 100.0;
}

}  // namespace ih::proxy
