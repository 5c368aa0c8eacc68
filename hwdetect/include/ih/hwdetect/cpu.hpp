// The CPU as a miner cares about it: identity, the instruction sets our scanners use.
#pragma once

#include <string>
#include <vector>

namespace ih::hwdetect {

struct CpuInfo {
  std::string vendor;
  std::string model;
  unsigned logical_cpus = 0;       // what the OS lets this process run on
  std::vector<std::string> flags;  // e.g. "sse4_1", "avx2", "avx512f", "sha"
};

CpuInfo detect_cpu();

}  // namespace ih::hwdetect
