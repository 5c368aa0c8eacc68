// Test helper: lists the GPU catalog and then hashes on the CPU, the way the agent starts up.
// Run in its own process so tests can point the OpenCL loader at missing or broken drivers.
#include <cstdio>
#include <utility>

#include "ih/kernels/gpu_scanner.hpp"

int main() {
  for (const ih::kernels::ScannerEntry& entry : ih::kernels::gpu_scanner_catalog()) {
    std::printf("gpu %s %s %s\n", entry.name.c_str(), entry.runnable ? "runnable" : "unavailable",
                entry.why_not.c_str());
  }
  // The most preferred CPU scanner this machine can run (the reference one always can).
  ih::kernels::ScannerEntry cpu;
  for (auto& entry : ih::kernels::cpu_scanner_catalog())
    if (entry.runnable) {
      cpu = std::move(entry);
      break;
    }
  ih::Header80 header{};
  ih::Uint256 target;
  target.limbs[7] = 0x00ffffff;
  ih::kernels::Candidates out;
  const auto hashed = cpu.make()->scan(ih::kernels::make_work(header, target), 0, 4096, out);
  std::printf("cpu %s hashed %llu\n", cpu.name.c_str(), static_cast<unsigned long long>(hashed));
  return 0;
}
