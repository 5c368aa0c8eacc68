#include "cpu/scan_functions.hpp"
#include "ih/kernels/cpu_features.hpp"
#include "ih/kernels/sha256.hpp"

namespace ih::kernels {

Sha256CompressFn fastest_sha256_compress() {
#if defined(__x86_64__)
  if (cpu_features().sha_ni) return cpu::sha_ni_compress;
#endif
  return sha256_compress;
}

Hash256 sha256d_fast(std::span<const std::uint8_t> data) {
  static const Sha256CompressFn compress = fastest_sha256_compress();
  const Hash256 first = Sha256(compress).update(data).finish();
  return Sha256(compress).update(first).finish();
}

}  // namespace ih::kernels
