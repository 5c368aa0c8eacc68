#include "proof/estimator.hpp"

#include <boost/math/distributions/chi_squared.hpp>

namespace ih::proof {

PoissonInterval garwood_interval(std::uint64_t n, double confidence) {
  namespace bm = boost::math;
  const double alpha = 1 - confidence;
  const double k = static_cast<double>(n);
  PoissonInterval out;
  if (n > 0) out.low = bm::quantile(bm::chi_squared(2 * k), alpha / 2) / 2;
  out.high = bm::quantile(bm::chi_squared(2 * k + 2), 1 - alpha / 2) / 2;
  return out;
}

HashrateEstimate estimate_hashrate(std::uint64_t shares, double difficulty_sum, double seconds,
                                   double floor_difficulty, double confidence) {
  HashrateEstimate out;
  out.shares = shares;
  if (seconds <= 0) return out;
  const PoissonInterval count = garwood_interval(shares, confidence);
  const double per_share =
      (shares > 0 ? difficulty_sum / static_cast<double>(shares) : floor_difficulty) *
      kHashesPerDifficulty / seconds;
  out.hashrate = difficulty_sum * kHashesPerDifficulty / seconds;
  out.low = count.low * per_share;
  out.high = count.high * per_share;
  return out;
}

}  // namespace ih::proof
