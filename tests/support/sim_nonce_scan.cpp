#include "sim_nonce_scan.hpp"

#include <bit>

#include "ih/kernels/share_check.hpp"

namespace ih::test::sim {

namespace {

constexpr std::uint64_t kNonceRange = std::uint64_t{1} << 32;

}  // namespace

std::uint32_t deposit_bits(std::uint64_t value, std::uint32_t mask) {
  std::uint32_t out = 0;
  for (std::uint32_t m = mask; m != 0 && value != 0; m &= m - 1, value >>= 1)
    if (value & 1) out |= m & (~m + 1);  // the lowest set bit of what is left of the mask
  return out;
}

void NonceScan::start(WorkSource source, const Uint256& target, std::uint64_t extranonce2,
                      std::uint64_t version_step) {
  source_ = std::move(source);
  target_ = target;
  extranonce2_ = extranonce2;
  version_step_ = version_step;
  active_ = true;
  build();
}

void NonceScan::set_target(const Uint256& target) {
  target_ = target;
  work_.target = target;
}

void NonceScan::build() {
  const std::size_t size = source_.extranonce2_size;
  extranonce2_bytes_.assign(size, 0);
  for (std::size_t i = 0; i < size && i < 8; ++i)
    extranonce2_bytes_[i] = static_cast<std::uint8_t>(extranonce2_ >> (8 * i));
  const int rolling_bits = std::popcount(source_.version_mask);
  version_step_ &= (std::uint64_t{1} << rolling_bits) - 1;  // at most 32 bits
  version_bits_ = deposit_bits(version_step_, source_.version_mask);
  const stratum::ShareFields fields{source_.extranonce1, extranonce2_bytes_,  source_.job.ntime, 0,
                                    version_bits_,       source_.version_mask};
  work_ = kernels::make_work(stratum::header_for_share(source_.job, fields), target_);
  next_nonce_ = 0;
}

void NonceScan::advance() {
  const int rolling_bits = std::popcount(source_.version_mask);
  ++version_step_;
  if (rolling_bits == 0 || (version_step_ >> rolling_bits) != 0) {
    version_step_ = 0;
    ++extranonce2_;
  }
  build();
}

std::uint64_t NonceScan::scan(kernels::Scanner& scanner, std::uint64_t count,
                              std::vector<FoundShare>& shares) {
  if (!active_ || count == 0) return 0;
  if (next_nonce_ >= kNonceRange) advance();
  const std::uint64_t n = std::min(count, kNonceRange - next_nonce_);
  candidates_.nonces.clear();
  const std::uint64_t done = scanner.scan(work_, static_cast<std::uint32_t>(next_nonce_),
                                          static_cast<std::uint32_t>(n), candidates_);
  next_nonce_ += n;
  for (std::uint32_t nonce : kernels::confirm_shares(work_, candidates_)) {
    FoundShare share{source_.job.job_id, extranonce2_bytes_, source_.job.ntime, nonce, {}};
    if (source_.version_mask != 0) share.version_bits = version_bits_;
    shares.push_back(std::move(share));
  }
  return done;
}

}  // namespace ih::test::sim
