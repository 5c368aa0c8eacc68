#include "cli/pool_switch_log.hpp"

#include "ih/log_escape.hpp"

namespace ih::agent {

PoolSwitchLog::PoolSwitchLog(std::vector<ResolvedPool> pools) : pools_(std::move(pools)) {}

std::string PoolSwitchLog::name(std::size_t pool) const {
  if (pool >= pools_.size()) return "pool #" + std::to_string(pool);
  return "pool " + std::to_string(pools_[pool].index) + " (" + describe_pool(pools_[pool]) + ")";
}

PoolSwitchLine PoolSwitchLog::on_connection(std::size_t pool, bool connected,
                                            std::string_view reason) {
  const std::string why = escape_for_log(reason);
  if (!connected) {
    if (active_ != pool) return {name(pool) + " connection failed: " + why, true};
    active_.reset();
    left_ = pool;
    left_why_ = why;
    return {name(pool) + " lost: " + why, true};
  }
  active_ = pool;
  std::string line = name(pool) + " is active";
  if (pools_.size() > 1)
    line += pool == 0 ? " (the primary)"
                      : " (backup " + std::to_string(pool) + " of " +
                            std::to_string(pools_.size() - 1) + ")";
  if (left_ && *left_ != pool && *left_ < pools_.size())
    line += "; switched from pool " + std::to_string(pools_[*left_].index) + ": " + left_why_;
  left_.reset();
  return {line, false};
}

}  // namespace ih::agent
