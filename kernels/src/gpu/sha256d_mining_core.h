/* The SHA-256d mining core, written once for C++ (host tests), CUDA and OpenCL C. The CUDA
   kernel includes it; the OpenCL program is this file concatenated with the prelude and the
   OpenCL kernel at build time; tests/kernels run it on the CPU against the reference.

   Per job the host runs ih_prepare_mining_job(): rounds 0..2 of header block 2 (W0..W2 are the
   constant tail), the nonce-free halves of round 3, and the schedule words W16..W19 that do not
   depend on the nonce (DESIGN §5). Per nonce the device runs rounds 3..63 of the first hash and
   rounds 0..60 of the second: only H7 decides a candidate, and H7 = IV7 + e after round 60.
   Rounds are spelled out (no loops, no tables) so every compiler folds the padding words. */
#ifndef IH_GPU_SHA256D_MINING_CORE_H
#define IH_GPU_SHA256D_MINING_CORE_H

#ifndef __OPENCL_VERSION__
#include "gpu/device_prelude.h"
#endif

/* Kernel argument, identical bytes on host and device: 32-bit words only, no padding. */
typedef struct IhMiningJob {
  ih_u32 midstate[8]; /* state after header bytes 0..63, added back after block 2 */
  ih_u32 state2[8];   /* a..h after rounds 0..2 of block 2 */
  ih_u32 a3_base;     /* a after round 3 = a3_base + W3 (W3 = byte-swapped nonce) */
  ih_u32 e3_base;     /* e after round 3 = e3_base + W3 */
  ih_u32 w16;         /* W16 = ssig0(W1) + W0 */
  ih_u32 w17;         /* W17 = ssig1(640) + ssig0(W2) + W1 */
  ih_u32 w18_base;    /* W18 = w18_base + ssig0(W3) */
  ih_u32 w19_base;    /* W19 = w19_base + W3 */
  ih_u32 target7;     /* candidate when byte-swapped H7 (hash limb 7) <= target7 */
} IhMiningJob;

#define IH_BSIG0(x) (IH_ROTR(x, 2) ^ IH_ROTR(x, 13) ^ IH_ROTR(x, 22))
#define IH_BSIG1(x) (IH_ROTR(x, 6) ^ IH_ROTR(x, 11) ^ IH_ROTR(x, 25))
#define IH_SSIG0(x) (IH_ROTR(x, 7) ^ IH_ROTR(x, 18) ^ ((x) >> 3))
#define IH_SSIG1(x) (IH_ROTR(x, 17) ^ IH_ROTR(x, 19) ^ ((x) >> 10))
/* Three-input forms that nvcc maps to one LOP3 each. */
#define IH_CH(e, f, g) ((g) ^ ((e) & ((f) ^ (g))))
#define IH_MAJ(a, b, c) (((a) & (b)) | ((c) & ((a) | (b))))

/* One round; the caller rotates the variable names instead of moving values. */
#define IH_ROUND(a, b, c, d, e, f, g, h, k, w)                         \
  do {                                                                 \
    const ih_u32 t1_ = (h) + IH_BSIG1(e) + IH_CH(e, f, g) + (k) + (w); \
    const ih_u32 t2_ = IH_BSIG0(a) + IH_MAJ(a, b, c);                  \
    (d) += t1_;                                                        \
    (h) = t1_ + t2_;                                                   \
  } while (0)

/* The last round of the second hash: only the new e (which becomes H7) is needed. */
#define IH_ROUND_E_ONLY(a, b, c, d, e, f, g, h, k, w)      \
  do {                                                     \
    (d) += (h) + IH_BSIG1(e) + IH_CH(e, f, g) + (k) + (w); \
  } while (0)

/* Message schedule in a 16-word ring; indices are constants after macro expansion. */
#define IH_EXPAND(w, i)                                                                            \
  do {                                                                                             \
    (w)[(i)&15] += IH_SSIG1((w)[((i)-2) & 15]) + (w)[((i)-7) & 15] + IH_SSIG0((w)[((i)-15) & 15]); \
  } while (0)

/* Host side, once per job. tail = header bytes 64..75 as big-endian words. */
IH_DEVICE_FN void ih_prepare_mining_job(IhMiningJob* job, const ih_u32* midstate,
                                        const ih_u32* tail, ih_u32 target7) {
  ih_u32 a = midstate[0], b = midstate[1], c = midstate[2], d = midstate[3];
  ih_u32 e = midstate[4], f = midstate[5], g = midstate[6], h = midstate[7];
  IH_ROUND(a, b, c, d, e, f, g, h, 0x428a2f98u, tail[0]);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x71374491u, tail[1]);
  IH_ROUND(g, h, a, b, c, d, e, f, 0xb5c0fbcfu, tail[2]);
  /* Round 3 sees the names rotated by three: a..h live in f, g, h, a, b, c, d, e. */
  const ih_u32 t1_base = e + IH_BSIG1(b) + IH_CH(b, c, d) + 0xe9b5dba5u;
  const ih_u32 t2 = IH_BSIG0(f) + IH_MAJ(f, g, h);
  for (int i = 0; i < 8; ++i) job->midstate[i] = midstate[i];
  job->state2[0] = f;
  job->state2[1] = g;
  job->state2[2] = h;
  job->state2[3] = a;
  job->state2[4] = b;
  job->state2[5] = c;
  job->state2[6] = d;
  job->state2[7] = e;
  job->a3_base = t1_base + t2;
  job->e3_base = a + t1_base;
  job->w16 = IH_SSIG0(tail[1]) + tail[0];
  job->w17 = IH_SSIG1(640u) + IH_SSIG0(tail[2]) + tail[1];
  job->w18_base = IH_SSIG1(job->w16) + tail[2];
  job->w19_base = IH_SSIG1(job->w17) + IH_SSIG0(0x80000000u);
  job->target7 = target7;
}

/* H7 of sha256d(header with this nonce), as the big-endian state word. */
IH_DEVICE_FN ih_u32 ih_sha256d_h7(const IhMiningJob job, const ih_u32 nonce) {
  /* The header stores the nonce little-endian; W3 is its big-endian read. */
  const ih_u32 w3 = IH_BSWAP32(nonce);
  /* State after round 3, named so that round 4 starts with the pattern (e, f, ..., d). */
  ih_u32 e = job.a3_base + w3, f = job.state2[0], g = job.state2[1], h = job.state2[2];
  ih_u32 a = job.e3_base + w3, b = job.state2[4], c = job.state2[5], d = job.state2[6];
  ih_u32 w[16];
  w[0] = job.w16;
  w[1] = job.w17;
  w[2] = job.w18_base + IH_SSIG0(w3);
  w[3] = job.w19_base + w3;
  w[4] = 0x80000000u;
  w[5] = 0u;
  w[6] = 0u;
  w[7] = 0u;
  w[8] = 0u;
  w[9] = 0u;
  w[10] = 0u;
  w[11] = 0u;
  w[12] = 0u;
  w[13] = 0u;
  w[14] = 0u;
  w[15] = 640u;
  IH_ROUND(e, f, g, h, a, b, c, d, 0x3956c25bu, 0x80000000u);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x59f111f1u, 0u);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x923f82a4u, 0u);
  IH_ROUND(b, c, d, e, f, g, h, a, 0xab1c5ed5u, 0u);
  IH_ROUND(a, b, c, d, e, f, g, h, 0xd807aa98u, 0u);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x12835b01u, 0u);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x243185beu, 0u);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x550c7dc3u, 0u);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x72be5d74u, 0u);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x80deb1feu, 0u);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x9bdc06a7u, 0u);
  IH_ROUND(b, c, d, e, f, g, h, a, 0xc19bf174u, 640u);
  IH_ROUND(a, b, c, d, e, f, g, h, 0xe49b69c1u, w[0]);
  IH_ROUND(h, a, b, c, d, e, f, g, 0xefbe4786u, w[1]);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x0fc19dc6u, w[2]);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x240ca1ccu, w[3]);
  IH_EXPAND(w, 20);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x2de92c6fu, w[4]);
  IH_EXPAND(w, 21);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x4a7484aau, w[5]);
  IH_EXPAND(w, 22);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x5cb0a9dcu, w[6]);
  IH_EXPAND(w, 23);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x76f988dau, w[7]);
  IH_EXPAND(w, 24);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x983e5152u, w[8]);
  IH_EXPAND(w, 25);
  IH_ROUND(h, a, b, c, d, e, f, g, 0xa831c66du, w[9]);
  IH_EXPAND(w, 26);
  IH_ROUND(g, h, a, b, c, d, e, f, 0xb00327c8u, w[10]);
  IH_EXPAND(w, 27);
  IH_ROUND(f, g, h, a, b, c, d, e, 0xbf597fc7u, w[11]);
  IH_EXPAND(w, 28);
  IH_ROUND(e, f, g, h, a, b, c, d, 0xc6e00bf3u, w[12]);
  IH_EXPAND(w, 29);
  IH_ROUND(d, e, f, g, h, a, b, c, 0xd5a79147u, w[13]);
  IH_EXPAND(w, 30);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x06ca6351u, w[14]);
  IH_EXPAND(w, 31);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x14292967u, w[15]);
  IH_EXPAND(w, 32);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x27b70a85u, w[0]);
  IH_EXPAND(w, 33);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x2e1b2138u, w[1]);
  IH_EXPAND(w, 34);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x4d2c6dfcu, w[2]);
  IH_EXPAND(w, 35);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x53380d13u, w[3]);
  IH_EXPAND(w, 36);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x650a7354u, w[4]);
  IH_EXPAND(w, 37);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x766a0abbu, w[5]);
  IH_EXPAND(w, 38);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x81c2c92eu, w[6]);
  IH_EXPAND(w, 39);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x92722c85u, w[7]);
  IH_EXPAND(w, 40);
  IH_ROUND(a, b, c, d, e, f, g, h, 0xa2bfe8a1u, w[8]);
  IH_EXPAND(w, 41);
  IH_ROUND(h, a, b, c, d, e, f, g, 0xa81a664bu, w[9]);
  IH_EXPAND(w, 42);
  IH_ROUND(g, h, a, b, c, d, e, f, 0xc24b8b70u, w[10]);
  IH_EXPAND(w, 43);
  IH_ROUND(f, g, h, a, b, c, d, e, 0xc76c51a3u, w[11]);
  IH_EXPAND(w, 44);
  IH_ROUND(e, f, g, h, a, b, c, d, 0xd192e819u, w[12]);
  IH_EXPAND(w, 45);
  IH_ROUND(d, e, f, g, h, a, b, c, 0xd6990624u, w[13]);
  IH_EXPAND(w, 46);
  IH_ROUND(c, d, e, f, g, h, a, b, 0xf40e3585u, w[14]);
  IH_EXPAND(w, 47);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x106aa070u, w[15]);
  IH_EXPAND(w, 48);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x19a4c116u, w[0]);
  IH_EXPAND(w, 49);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x1e376c08u, w[1]);
  IH_EXPAND(w, 50);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x2748774cu, w[2]);
  IH_EXPAND(w, 51);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x34b0bcb5u, w[3]);
  IH_EXPAND(w, 52);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x391c0cb3u, w[4]);
  IH_EXPAND(w, 53);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x4ed8aa4au, w[5]);
  IH_EXPAND(w, 54);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x5b9cca4fu, w[6]);
  IH_EXPAND(w, 55);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x682e6ff3u, w[7]);
  IH_EXPAND(w, 56);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x748f82eeu, w[8]);
  IH_EXPAND(w, 57);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x78a5636fu, w[9]);
  IH_EXPAND(w, 58);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x84c87814u, w[10]);
  IH_EXPAND(w, 59);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x8cc70208u, w[11]);
  IH_EXPAND(w, 60);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x90befffau, w[12]);
  IH_EXPAND(w, 61);
  IH_ROUND(d, e, f, g, h, a, b, c, 0xa4506cebu, w[13]);
  IH_EXPAND(w, 62);
  IH_ROUND(c, d, e, f, g, h, a, b, 0xbef9a3f7u, w[14]);
  IH_EXPAND(w, 63);
  IH_ROUND(b, c, d, e, f, g, h, a, 0xc67178f2u, w[15]);

  /* Second hash: the 32-byte digest, then padding (0x80, zeros, bit length 256). */
  w[0] = job.midstate[0] + a;
  w[1] = job.midstate[1] + b;
  w[2] = job.midstate[2] + c;
  w[3] = job.midstate[3] + d;
  w[4] = job.midstate[4] + e;
  w[5] = job.midstate[5] + f;
  w[6] = job.midstate[6] + g;
  w[7] = job.midstate[7] + h;
  w[8] = 0x80000000u;
  w[9] = 0u;
  w[10] = 0u;
  w[11] = 0u;
  w[12] = 0u;
  w[13] = 0u;
  w[14] = 0u;
  w[15] = 256u;
  a = 0x6a09e667u;
  b = 0xbb67ae85u;
  c = 0x3c6ef372u;
  d = 0xa54ff53au;
  e = 0x510e527fu;
  f = 0x9b05688cu;
  g = 0x1f83d9abu;
  h = 0x5be0cd19u;
  IH_ROUND(a, b, c, d, e, f, g, h, 0x428a2f98u, w[0]);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x71374491u, w[1]);
  IH_ROUND(g, h, a, b, c, d, e, f, 0xb5c0fbcfu, w[2]);
  IH_ROUND(f, g, h, a, b, c, d, e, 0xe9b5dba5u, w[3]);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x3956c25bu, w[4]);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x59f111f1u, w[5]);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x923f82a4u, w[6]);
  IH_ROUND(b, c, d, e, f, g, h, a, 0xab1c5ed5u, w[7]);
  IH_ROUND(a, b, c, d, e, f, g, h, 0xd807aa98u, w[8]);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x12835b01u, w[9]);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x243185beu, w[10]);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x550c7dc3u, w[11]);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x72be5d74u, w[12]);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x80deb1feu, w[13]);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x9bdc06a7u, w[14]);
  IH_ROUND(b, c, d, e, f, g, h, a, 0xc19bf174u, w[15]);
  IH_EXPAND(w, 16);
  IH_ROUND(a, b, c, d, e, f, g, h, 0xe49b69c1u, w[0]);
  IH_EXPAND(w, 17);
  IH_ROUND(h, a, b, c, d, e, f, g, 0xefbe4786u, w[1]);
  IH_EXPAND(w, 18);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x0fc19dc6u, w[2]);
  IH_EXPAND(w, 19);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x240ca1ccu, w[3]);
  IH_EXPAND(w, 20);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x2de92c6fu, w[4]);
  IH_EXPAND(w, 21);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x4a7484aau, w[5]);
  IH_EXPAND(w, 22);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x5cb0a9dcu, w[6]);
  IH_EXPAND(w, 23);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x76f988dau, w[7]);
  IH_EXPAND(w, 24);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x983e5152u, w[8]);
  IH_EXPAND(w, 25);
  IH_ROUND(h, a, b, c, d, e, f, g, 0xa831c66du, w[9]);
  IH_EXPAND(w, 26);
  IH_ROUND(g, h, a, b, c, d, e, f, 0xb00327c8u, w[10]);
  IH_EXPAND(w, 27);
  IH_ROUND(f, g, h, a, b, c, d, e, 0xbf597fc7u, w[11]);
  IH_EXPAND(w, 28);
  IH_ROUND(e, f, g, h, a, b, c, d, 0xc6e00bf3u, w[12]);
  IH_EXPAND(w, 29);
  IH_ROUND(d, e, f, g, h, a, b, c, 0xd5a79147u, w[13]);
  IH_EXPAND(w, 30);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x06ca6351u, w[14]);
  IH_EXPAND(w, 31);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x14292967u, w[15]);
  IH_EXPAND(w, 32);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x27b70a85u, w[0]);
  IH_EXPAND(w, 33);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x2e1b2138u, w[1]);
  IH_EXPAND(w, 34);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x4d2c6dfcu, w[2]);
  IH_EXPAND(w, 35);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x53380d13u, w[3]);
  IH_EXPAND(w, 36);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x650a7354u, w[4]);
  IH_EXPAND(w, 37);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x766a0abbu, w[5]);
  IH_EXPAND(w, 38);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x81c2c92eu, w[6]);
  IH_EXPAND(w, 39);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x92722c85u, w[7]);
  IH_EXPAND(w, 40);
  IH_ROUND(a, b, c, d, e, f, g, h, 0xa2bfe8a1u, w[8]);
  IH_EXPAND(w, 41);
  IH_ROUND(h, a, b, c, d, e, f, g, 0xa81a664bu, w[9]);
  IH_EXPAND(w, 42);
  IH_ROUND(g, h, a, b, c, d, e, f, 0xc24b8b70u, w[10]);
  IH_EXPAND(w, 43);
  IH_ROUND(f, g, h, a, b, c, d, e, 0xc76c51a3u, w[11]);
  IH_EXPAND(w, 44);
  IH_ROUND(e, f, g, h, a, b, c, d, 0xd192e819u, w[12]);
  IH_EXPAND(w, 45);
  IH_ROUND(d, e, f, g, h, a, b, c, 0xd6990624u, w[13]);
  IH_EXPAND(w, 46);
  IH_ROUND(c, d, e, f, g, h, a, b, 0xf40e3585u, w[14]);
  IH_EXPAND(w, 47);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x106aa070u, w[15]);
  IH_EXPAND(w, 48);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x19a4c116u, w[0]);
  IH_EXPAND(w, 49);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x1e376c08u, w[1]);
  IH_EXPAND(w, 50);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x2748774cu, w[2]);
  IH_EXPAND(w, 51);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x34b0bcb5u, w[3]);
  IH_EXPAND(w, 52);
  IH_ROUND(e, f, g, h, a, b, c, d, 0x391c0cb3u, w[4]);
  IH_EXPAND(w, 53);
  IH_ROUND(d, e, f, g, h, a, b, c, 0x4ed8aa4au, w[5]);
  IH_EXPAND(w, 54);
  IH_ROUND(c, d, e, f, g, h, a, b, 0x5b9cca4fu, w[6]);
  IH_EXPAND(w, 55);
  IH_ROUND(b, c, d, e, f, g, h, a, 0x682e6ff3u, w[7]);
  IH_EXPAND(w, 56);
  IH_ROUND(a, b, c, d, e, f, g, h, 0x748f82eeu, w[8]);
  IH_EXPAND(w, 57);
  IH_ROUND(h, a, b, c, d, e, f, g, 0x78a5636fu, w[9]);
  IH_EXPAND(w, 58);
  IH_ROUND(g, h, a, b, c, d, e, f, 0x84c87814u, w[10]);
  IH_EXPAND(w, 59);
  IH_ROUND(f, g, h, a, b, c, d, e, 0x8cc70208u, w[11]);
  IH_EXPAND(w, 60);
  IH_ROUND_E_ONLY(e, f, g, h, a, b, c, d, 0x90befffau, w[12]);
  /* Round 60 left the new e in h; rounds 61..63 only shift it to the h slot. */
  return 0x5be0cd19u + h;
}

/* The share pre-test every scanner applies (scanner.hpp): hash limb 7 <= target limb 7. */
IH_DEVICE_FN int ih_sha256d_is_candidate(const IhMiningJob job, const ih_u32 nonce) {
  return IH_BSWAP32(ih_sha256d_h7(job, nonce)) <= job.target7;
}

#endif /* IH_GPU_SHA256D_MINING_CORE_H */
