#include "ih/hwdetect/cuda_devices.hpp"

#include <array>
#include <cstdio>

#include "cuda_driver_api.hpp"
#include "dynamic_library.hpp"

namespace ih::hwdetect {

using namespace cuda_api;

namespace {

struct DriverApi {
  cuInit_t init = nullptr;
  cuDriverGetVersion_t driver_version = nullptr;
  cuDeviceGetCount_t device_count = nullptr;
  cuDeviceGet_t device_get = nullptr;
  cuDeviceGetName_t name = nullptr;
  cuDeviceTotalMem_t total_mem = nullptr;
  cuDeviceGetAttribute_t attribute = nullptr;
  cuDeviceGetUuid_t uuid = nullptr;  // optional
  cuGetErrorName_t error_name = nullptr;

  bool load(const DynamicLibrary& lib) {
    lib.symbol("cuGetErrorName", error_name);
    if (!lib.symbol("cuDeviceGetUuid_v2", uuid)) lib.symbol("cuDeviceGetUuid", uuid);
    return lib.symbol("cuInit", init) && lib.symbol("cuDriverGetVersion", driver_version) &&
           lib.symbol("cuDeviceGetCount", device_count) && lib.symbol("cuDeviceGet", device_get) &&
           lib.symbol("cuDeviceGetName", name) && lib.symbol("cuDeviceTotalMem_v2", total_mem) &&
           lib.symbol("cuDeviceGetAttribute", attribute);
  }

  std::string describe(CUresult code) const {
    const char* text = nullptr;
    if (error_name != nullptr && error_name(code, &text) == kSuccess && text != nullptr)
      return text;
    return "CUDA error " + std::to_string(code);
  }

  std::optional<int> attr(int which, CUdevice device) const {
    int value = 0;
    if (attribute(&value, which, device) != kSuccess) return std::nullopt;
    return value;
  }
};

std::string format_uuid(const CUuuid& id) {
  std::string out = "GPU-";
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    std::array<char, 3> hex{};
    std::snprintf(hex.data(), hex.size(), "%02x", static_cast<unsigned char>(id.bytes[i]));
    out += hex.data();
  }
  return out;
}

std::optional<unsigned> khz_to_mhz(std::optional<int> khz) {
  if (!khz || *khz <= 0) return std::nullopt;
  return static_cast<unsigned>(*khz / 1000);
}

CudaDevice read_device(const DriverApi& api, int ordinal, CUdevice device) {
  CudaDevice d;
  d.index = ordinal;
  std::array<char, 256> name{};
  if (api.name(name.data(), static_cast<int>(name.size()) - 1, device) == kSuccess)
    d.name = name.data();
  CUuuid id{};
  if (api.uuid != nullptr && api.uuid(&id, device) == kSuccess) d.uuid = format_uuid(id);
  std::size_t bytes = 0;
  if (api.total_mem(&bytes, device) == kSuccess) d.memory_bytes = bytes;
  d.compute_major = api.attr(kAttrComputeCapabilityMajor, device).value_or(0);
  d.compute_minor = api.attr(kAttrComputeCapabilityMinor, device).value_or(0);
  d.multiprocessors = api.attr(kAttrMultiprocessorCount, device).value_or(0);
  d.clock_mhz = khz_to_mhz(api.attr(kAttrClockRateKhz, device));
  d.memory_clock_mhz = khz_to_mhz(api.attr(kAttrMemoryClockRateKhz, device));
  const auto domain = api.attr(kAttrPciDomainId, device);
  const auto bus = api.attr(kAttrPciBusId, device);
  const auto slot = api.attr(kAttrPciDeviceId, device);
  if (domain && bus && slot) {
    std::array<char, 32> pci{};
    std::snprintf(pci.data(), pci.size(), "%04x:%02x:%02x.0", static_cast<unsigned>(*domain),
                  static_cast<unsigned>(*bus), static_cast<unsigned>(*slot));
    d.pci_bus_id = pci.data();
  }
  return d;
}

}  // namespace

std::optional<int> built_cuda_runtime_version() {
#if defined(IH_CUDA_RUNTIME_VERSION)
  return IH_CUDA_RUNTIME_VERSION;
#else
  return std::nullopt;
#endif
}

std::string cuda_version_string(int version) {
  return std::to_string(version / 1000) + "." + std::to_string(version % 1000 / 10);
}

std::string cuda_driver_problem(int driver, std::optional<int> runtime) {
  if (!runtime || driver >= *runtime) return {};
  return "the NVIDIA driver supports CUDA up to " + cuda_version_string(driver) +
         " but this build's GPU kernels need CUDA " + cuda_version_string(*runtime) +
         ": update the NVIDIA driver";
}

CudaReport detect_cuda(const std::string& library, std::optional<int> runtime_version) {
  CudaReport report;
  report.runtime_version = runtime_version;
  const DynamicLibrary lib(library);
  if (!lib.loaded()) {
    report.reason = library + " not found: no NVIDIA driver (" + lib.error() + ")";
    return report;
  }
  DriverApi api;
  if (!api.load(lib)) {
    report.reason = library + " lacks the CUDA driver functions we need: driver too old";
    return report;
  }
  int version = 0;
  if (api.driver_version(&version) == kSuccess) report.driver_version = version;
  if (const CUresult rc = api.init(0); rc != kSuccess) {
    report.reason = rc == kErrorNoDevice ? "the NVIDIA driver is installed but sees no GPU"
                    : rc == kErrorInsufficientDriver
                        ? "the NVIDIA driver is too old for this CUDA version"
                        : "cuInit failed";
    report.reason += " (" + api.describe(rc) + ")";
    return report;
  }
  int count = 0;
  if (const CUresult rc = api.device_count(&count); rc != kSuccess) {
    report.reason = "cuDeviceGetCount failed: " + api.describe(rc);
    return report;
  }
  for (int i = 0; i < count; ++i) {
    CUdevice device = 0;
    if (api.device_get(&device, i) == kSuccess)
      report.devices.push_back(read_device(api, i, device));
  }
  if (report.devices.empty()) report.reason = "the NVIDIA driver sees no CUDA device";
  if (report.driver_version && report.reason.empty())
    report.reason = cuda_driver_problem(*report.driver_version, report.runtime_version);
  return report;
}

}  // namespace ih::hwdetect
