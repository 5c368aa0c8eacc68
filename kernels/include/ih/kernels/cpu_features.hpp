// What the running CPU can execute, read with cpuid (x86) or hwcaps (aarch64).
// Scanner dispatch decides on this; it is checked again at run time, never assumed from the build.
#pragma once

#include <string>

namespace ih::kernels {

struct CpuFeatures {
  bool sse41 = false;
  bool avx2 = false;
  bool avx512f = false;
  bool avx512vl = false;
  bool avx512bw = false;
  bool sha_ni = false;        // x86 SHA extensions
  bool arm_sha2 = false;      // ARMv8 SHA-256 instructions
  bool os_saves_ymm = false;  // XCR0 enables AVX state
  bool os_saves_zmm = false;  // XCR0 enables AVX-512 state
  std::string vendor;
  std::string brand;
};

// Read once and cached; safe from any thread.
const CpuFeatures& cpu_features();

}  // namespace ih::kernels
