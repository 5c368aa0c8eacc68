#include "ih/kernels/share_check.hpp"

namespace ih::kernels {

bool is_share(const Work& work, std::uint32_t nonce) {
  return hash_meets_target(reference_hash(work, nonce), work.target);
}

std::vector<std::uint32_t> confirm_shares(const Work& work, const Candidates& candidates) {
  std::vector<std::uint32_t> shares;
  for (const std::uint32_t nonce : candidates.nonces)
    if (is_share(work, nonce)) shares.push_back(nonce);
  return shares;
}

}  // namespace ih::kernels
