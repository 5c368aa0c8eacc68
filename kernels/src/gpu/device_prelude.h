/* The few words that differ between C++ (host tests), CUDA and OpenCL C, so that the SHA-256d
   mining core (sha256d_mining_core.h) is written once and compiled by all three. Only the
   common subset of the languages is used below this header: no references, no namespaces. */
#ifndef IH_GPU_DEVICE_PRELUDE_H
#define IH_GPU_DEVICE_PRELUDE_H

#if defined(__OPENCL_VERSION__)
/* OpenCL C: fixed-width types are built in; rotate() rotates left. */
typedef uint ih_u32;
#define IH_DEVICE_FN static inline
#define IH_ROTR(x, n) rotate((ih_u32)(x), (ih_u32)(32u - (n)))
#define IH_BSWAP32(x) as_uint(as_uchar4((ih_u32)(x)).wzyx)

#elif defined(__CUDACC__)
/* CUDA: funnel shifts compile to one SHF per rotate; PRMT swaps bytes. */
#include <cstdint>
typedef std::uint32_t ih_u32;
#define IH_DEVICE_FN __host__ __device__ __forceinline__
#if defined(__CUDA_ARCH__)
#define IH_ROTR(x, n) __funnelshift_r((x), (x), (n))
#define IH_BSWAP32(x) __byte_perm((x), 0u, 0x0123u)
#else
#define IH_ROTR(x, n) (((x) >> (n)) | ((x) << (32u - (n))))
#define IH_BSWAP32(x) __builtin_bswap32(x)
#endif

#else
/* Plain C++: the host tests run the device math on the CPU. */
#include <cstdint>
typedef std::uint32_t ih_u32;
#define IH_DEVICE_FN inline
#define IH_ROTR(x, n) (((x) >> (n)) | ((x) << (32u - (n))))
#define IH_BSWAP32(x) __builtin_bswap32(x)
#endif

#endif /* IH_GPU_DEVICE_PRELUDE_H */
