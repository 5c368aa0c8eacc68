// Host side of the GPU scanners: the per-job constants every kernel launch takes, and the CPU
// re-check of what a device reports.
#pragma once

#include <cstdint>
#include <vector>

#include "gpu/sha256d_mining_core.h"
#include "ih/kernels/work.hpp"

namespace ih::kernels::gpu {

static_assert(sizeof(IhMiningJob) == 23 * sizeof(std::uint32_t), "kernel argument must not pad");

// Rounds 0..3 and W16..W19 precomputed from the work (DESIGN §5).
IhMiningJob make_mining_job(const Work& work);

// True when the reference sha256d of the nonce passes the scanner pre-test (limb 7 <= target
// limb 7). A device candidate that fails it is a hardware error.
bool is_reference_candidate(const Work& work, std::uint32_t nonce);

// Moves the device's nonces that the reference confirms into `out` (sorted, so results do not
// depend on thread timing) and returns how many it rejected.
std::uint64_t append_confirmed(const Work& work, std::vector<std::uint32_t>& device_nonces,
                               std::vector<std::uint32_t>& out);

}  // namespace ih::kernels::gpu
