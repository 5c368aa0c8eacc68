// The CPU scan kernels, one per instruction set, each in its own translation unit compiled with
// its own flags. Call one only when cpu_features() says the CPU can run it.
#pragma once

#include <array>
#include <cstdint>

#include "cpu/mining_precompute.hpp"

namespace ih::kernels::cpu {

// Groups interleaved per kernel (measured: scalar is fastest with one, its state then fits the
// general registers); the emulated AVX-512 test uses kAvx512Groups too.
inline constexpr int kPortableGroups = 1;
inline constexpr int kAvx2Groups = 2;
inline constexpr int kAvx512Groups = 2;
inline constexpr int kShaNiStreams = 4;

void scan_portable(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                   Candidates& out);

#if defined(__x86_64__)
void scan_avx2(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
               Candidates& out);
void scan_avx512(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                 Candidates& out);
void scan_sha_ni(const MiningPrecompute& p, std::uint32_t first, std::uint32_t count,
                 Candidates& out);
// One compression of a 64-byte block (sha256_fast.cpp dispatches to it).
void sha_ni_compress(std::array<std::uint32_t, 8>& state, const std::uint8_t* block);
#endif

}  // namespace ih::kernels::cpu
