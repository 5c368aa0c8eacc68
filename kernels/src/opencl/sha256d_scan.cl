/* OpenCL SHA-256d scanner. At build time this file is appended to device_prelude.h and
   sha256d_mining_core.h and embedded in the binary, so it runs the very code the host tests
   check. The loop mirrors the CUDA kernel (cuda/sha256d_scan_kernel.cu) line for line. */
#ifndef __OPENCL_VERSION__
#error "OpenCL C only: the build embeds this file, nothing includes it"
#endif

/* buffer[0] counts candidates; buffer[1 .. capacity] holds the first `capacity` of them. */
__kernel void ih_sha256d_scan(const IhMiningJob job, const uint first_nonce, const uint count,
                              const uint nonces_per_item, __global uint* buffer,
                              const uint capacity) {
  const uint group_span = (uint)get_local_size(0) * nonces_per_item;
  const uint base = (uint)get_group_id(0) * group_span + (uint)get_local_id(0);
  for (uint i = 0; i < nonces_per_item; ++i) {
    const uint offset = base + i * (uint)get_local_size(0);
    if (offset >= count) return;
    const uint nonce = first_nonce + offset;
    if (ih_sha256d_is_candidate(job, nonce)) {
      const uint slot = atomic_inc(&buffer[0]);
      if (slot < capacity) buffer[1 + slot] = nonce;
    }
  }
}
