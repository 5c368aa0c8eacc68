// A stand-in for libcuda.so.1 on machines without an NVIDIA GPU, so the driver-API path of
// detect_cuda (symbol loading, attribute mapping, UUID and PCI formatting, error reasons) runs in
// CI. Two GPUs: an H200 and an RTX 4090 whose clock attribute is unsupported. Environment knobs:
// IH_FAKE_CUDA_INIT_RESULT (cuInit's return), IH_FAKE_CUDA_DRIVER_VERSION (default 13000).
#include <cstddef>
#include <cstdio>
#include <cstdlib>

namespace {

bool initialised = false;

int env_int(const char* name, int fallback) {
  const char* text = std::getenv(name);
  return text != nullptr ? std::atoi(text) : fallback;
}

constexpr int kInvalidValue = 1;
constexpr int kNotInitialized = 3;
constexpr int kInvalidDevice = 101;

}  // namespace

extern "C" {

struct FakeUuid {
  unsigned char bytes[16];
};

int cuInit(unsigned) {
  const int rc = env_int("IH_FAKE_CUDA_INIT_RESULT", 0);
  initialised = rc == 0;
  return rc;
}

int cuDriverGetVersion(int* version) {
  *version = env_int("IH_FAKE_CUDA_DRIVER_VERSION", 13000);
  return 0;
}

int cuDeviceGetCount(int* count) {
  if (!initialised) return kNotInitialized;
  *count = 2;
  return 0;
}

int cuDeviceGet(int* device, int ordinal) {
  if (!initialised) return kNotInitialized;
  if (ordinal < 0 || ordinal > 1) return kInvalidDevice;
  *device = ordinal;
  return 0;
}

int cuDeviceGetName(char* name, int length, int device) {
  std::snprintf(name, static_cast<std::size_t>(length), "%s",
                device == 0 ? "NVIDIA H200" : "NVIDIA GeForce RTX 4090");
  return 0;
}

int cuDeviceTotalMem_v2(std::size_t* bytes, int device) {
  *bytes = device == 0 ? 150754820096ull : 25262096384ull;
  return 0;
}

int cuDeviceGetAttribute(int* value, int attribute, int device) {
  const bool h200 = device == 0;
  switch (attribute) {
    case 75:  // compute capability major
      *value = h200 ? 9 : 8;
      return 0;
    case 76:  // compute capability minor
      *value = h200 ? 0 : 9;
      return 0;
    case 16:  // multiprocessors
      *value = h200 ? 132 : 128;
      return 0;
    case 13:  // SM clock, kHz; "unsupported" on the second GPU
      if (!h200) return kInvalidValue;
      *value = 1980000;
      return 0;
    case 36:  // memory clock, kHz
      *value = h200 ? 2619000 : 10501000;
      return 0;
    case 33:  // PCI bus
      *value = h200 ? 0x19 : 0x41;
      return 0;
    case 34:  // PCI device
    case 50:  // PCI domain
      *value = 0;
      return 0;
    default:
      return kInvalidValue;
  }
}

int cuDeviceGetUuid_v2(FakeUuid* uuid, int device) {
  for (int i = 0; i < 16; ++i) uuid->bytes[i] = static_cast<unsigned char>(i + 0x10 * device);
  return 0;
}

int cuGetErrorName(int error, const char** name) {
  *name = error == 100  ? "CUDA_ERROR_NO_DEVICE"
          : error == 35 ? "CUDA_ERROR_INSUFFICIENT_DRIVER"
                        : "CUDA_ERROR_UNKNOWN";
  return 0;
}

}  // extern "C"
