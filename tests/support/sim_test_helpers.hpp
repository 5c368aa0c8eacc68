// Helpers both simulated-miner suites use.
#pragma once

#include <cstdint>
#include <string>

#include "sim_miner.hpp"

namespace ih::test {

inline constexpr std::uint32_t kMask = 0x1fffe000;  // the version mask ASIC firmwares ask for

inline std::string describe(const SimMinerStats& s) {
  return s.user + ": connects " + std::to_string(s.connects) + ", reconnects " +
         std::to_string(s.reconnects) + ", drops " + std::to_string(s.drops) + ", submitted " +
         std::to_string(s.shares_submitted) + ", protocol errors " +
         std::to_string(s.protocol_errors) + ", last error: " + s.last_error;
}

}  // namespace ih::test
