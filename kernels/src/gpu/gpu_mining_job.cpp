#include "gpu/gpu_mining_job.hpp"

#include <algorithm>

namespace ih::kernels::gpu {

IhMiningJob make_mining_job(const Work& work) {
  IhMiningJob job{};
  ih_prepare_mining_job(&job, work.midstate.data(), work.tail.data(), work.target.limbs[7]);
  return job;
}

bool is_reference_candidate(const Work& work, std::uint32_t nonce) {
  return Uint256::from_le_bytes(reference_hash(work, nonce)).limbs[7] <= work.target.limbs[7];
}

std::uint64_t append_confirmed(const Work& work, std::vector<std::uint32_t>& device_nonces,
                               std::vector<std::uint32_t>& out) {
  std::sort(device_nonces.begin(), device_nonces.end());
  std::uint64_t rejected = 0;
  for (const std::uint32_t nonce : device_nonces) {
    if (is_reference_candidate(work, nonce))
      out.push_back(nonce);
    else
      ++rejected;
  }
  device_nonces.clear();
  return rejected;
}

}  // namespace ih::kernels::gpu
