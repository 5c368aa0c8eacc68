// `proxy --opencl-devices N` without --cpu: a GPU scanner (here PoCL's OpenCL CPU device, the one
// OpenCL device a machine without a GPU has) mines as the proxy's local worker, and its shares
// reach the upstream pool through the proxy. Skips where no OpenCL device exists.
#include <gtest/gtest.h>

#include <fstream>
#include <string>

#include "engine/gpu_selection.hpp"
#include "local_pool/local_pool.hpp"
#include "run_command.hpp"

namespace {

const std::string kBinary = IH_AGENT_BINARY;

TEST(ProxyGpu, AnOpenClDeviceMinesThroughTheProxyAsTheLocalWorker) {
  auto selected = ih::agent::select_gpu_devices({}, {0}, false);
  if (!selected || selected->devices.empty())
    GTEST_SKIP() << "no OpenCL device: " << (selected ? "none runnable" : selected.error().message);

  ih::agent::local_pool::LocalPoolOptions o;
  o.session.initial_difficulty = 1.0 / 65536;
  o.session.vardiff = false;
  auto pool = ih::agent::local_pool::LocalPool::start(o);
  ASSERT_TRUE(pool.ok()) << pool.error().message;
  const std::string file = ::testing::TempDir() + "proxy_gpu.toml";
  std::ofstream(file) << "[[pools.main]]\nname = \"own-pool\"\nhost = \"127.0.0.1\"\nport = "
                      << (*pool)->port() << "\nweight = 1\nworker_id = \"myaccount\"\n";
  const auto r = ih::test::run_command(
      "timeout --preserve-status -s INT 25 " + kBinary + " proxy -c " + file +
      " --bind 127.0.0.1:0 --api-bind off --no-proofs --stats-interval 0"
      " --opencl-devices 0 --local-worker local.gpu0 --start-difficulty 0.0000152587890625");
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("local mining as local.gpu0 on no CPU, opencl:"), std::string::npos)
      << r.output;
  EXPECT_GT((*pool)->stats().accepted, 0u) << r.output;
  EXPECT_EQ((*pool)->stats().rejected, 0u) << r.output;
  (*pool)->stop();
}

TEST(ProxyGpu, AGpuIndexThatDoesNotExistIsRefusedAtStart) {
  const std::string file = ::testing::TempDir() + "proxy_gpu_bad.toml";
  std::ofstream(file) << "[[pools.main]]\nname = \"own-pool\"\nhost = \"127.0.0.1\"\nport = 1\n"
                         "weight = 1\nworker_id = \"myaccount\"\n";
  const auto r =
      ih::test::run_command("timeout --preserve-status -s INT 10 " + kBinary + " proxy -c " + file +
                            " --bind 127.0.0.1:0 --api-bind off --no-proofs"
                            " --cuda-devices 97");
  EXPECT_NE(r.exit_code, 0) << r.output;
  EXPECT_NE(r.output.find("local mining:"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("97"), std::string::npos) << r.output;
}

}  // namespace
