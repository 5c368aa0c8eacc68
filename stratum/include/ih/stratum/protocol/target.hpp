// Difficulty <-> 256-bit target (pool difficulty, "pdiff") and compact nBits.
#pragma once

#include <cstdint>

#include "ih/kernels/uint256.hpp"
#include "ih/result.hpp"

namespace ih::stratum {

// 0x00000000FFFF0000...0000: the target of difficulty 1.
Uint256 diff1_target();

// target = diff1 / difficulty, rounded down. Errors on 0, negative, NaN, infinity, and on a
// difficulty so high that the target would be zero. A difficulty below ~2^-32 saturates at
// the largest target.
Result<Uint256> difficulty_to_target(double difficulty);

// diff1 / target (what a pool would call the target's difficulty). Errors on a zero target.
Result<double> target_to_difficulty(const Uint256& target);

// The difficulty a hash achieves: diff1 / hash (as little-endian integer); +inf for hash 0.
double share_difficulty(const Hash256& hash);

// Decodes compact nBits (mantissa * 256^(exponent-3)). Errors on the sign bit and on a
// value that does not fit in 256 bits, as Bitcoin Core does.
Result<Uint256> nbits_to_target(std::uint32_t nbits);

}  // namespace ih::stratum
