// Scanners report candidates (hash limb 7 <= target limb 7); these confirm them with the
// reference hash and the full 256-bit compare before anything is submitted.
#pragma once

#include <cstdint>
#include <vector>

#include "ih/kernels/scanner.hpp"
#include "ih/kernels/work.hpp"

namespace ih::kernels {

// True when sha256d of the work's header with this nonce is <= the work's target.
bool is_share(const Work& work, std::uint32_t nonce);

// The candidates that are shares, in the order they were found.
std::vector<std::uint32_t> confirm_shares(const Work& work, const Candidates& candidates);

}  // namespace ih::kernels
