// Every scanner this build knows, whether this machine can run it, and how to make one.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "ih/kernels/scanner.hpp"

namespace ih::kernels {

enum class DeviceKind { cpu, cuda, opencl };

struct ScannerEntry {
  std::string name;  // stable, used by --cpu-kernel / --kernel
  DeviceKind device = DeviceKind::cpu;
  bool runnable = false;                           // this machine can run it now
  std::string why_not;                             // when !runnable: a reason a user can act on
  std::function<std::unique_ptr<Scanner>()> make;  // only call when runnable
};

// CPU scanners in order of preference (fastest expected first); always contains "reference".
std::vector<ScannerEntry> cpu_scanner_catalog();

// The slowest, simplest scanner: the reference sha256d per nonce. The oracle for the others.
std::unique_ptr<Scanner> make_reference_scanner();

}  // namespace ih::kernels
