// `proxy --cpu` / `--gpu`: this machine's CPU and GPUs mine too, together as one more downstream
// worker of the proxy (a loopback connection, so their shares are re-checked and routed like any
// ASIC's).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "engine/engine.hpp"
#include "ih/result.hpp"

namespace ih::agent {

struct LocalMinerOptions {
  std::string proxy_host;  // where the proxy listens (0.0.0.0 / :: become loopback)
  std::uint16_t proxy_port = 0;
  bool cpu = true;
  unsigned threads = 0;  // 0: one per physical core
  std::string cpu_kernel = "auto";
  bool gpu = false;                 // every usable GPU, or only those listed below
  std::vector<int> cuda_devices;    // as `mine --cuda-devices`
  std::vector<int> opencl_devices;  // as `mine --opencl-devices`
  std::string worker;               // empty: local.<hostname>
};

Result<std::unique_ptr<Engine>> start_local_miner(const LocalMinerOptions& options);

}  // namespace ih::agent
