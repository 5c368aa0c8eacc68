// Factories for the CPU kernel scanners (private to ih_kernels; the catalog hands them out).
#pragma once

#include <memory>

#include "ih/kernels/scanner.hpp"

namespace ih::kernels::cpu {

std::unique_ptr<Scanner> make_portable_scanner();
#if defined(__x86_64__)
std::unique_ptr<Scanner> make_avx2_scanner();
std::unique_ptr<Scanner> make_avx512_scanner();
std::unique_ptr<Scanner> make_sha_ni_scanner();
#endif

}  // namespace ih::kernels::cpu
