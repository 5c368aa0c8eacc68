// Pinning a thread through hwloc on this machine, checked against what the kernel reports.
#include <gtest/gtest.h>
#include <sched.h>

#include <thread>

#include "ih/hwdetect/thread_plan.hpp"
#include "topology_fixture.hpp"

namespace {

using ih::hwdetect::Topology;

TEST(PinThread, DefaultPlanThreadRunsOnlyOnItsPu) {
  const auto topology = Topology::detect();
  ASSERT_TRUE(topology) << topology.error().message;
  const auto plan = ih::hwdetect::plan_threads(*topology, std::nullopt, std::nullopt);
  ASSERT_TRUE(plan) << plan.error().message;
  ASSERT_FALSE(plan->pus.empty());
  const unsigned pu = plan->pus.back();
  std::optional<ih::Error> error;
  cpu_set_t allowed;
  CPU_ZERO(&allowed);
  std::thread worker([&] {
    error = ih::hwdetect::pin_current_thread(*topology, pu);
    sched_getaffinity(0, sizeof(allowed), &allowed);
  });
  worker.join();
  ASSERT_FALSE(error) << error->message;
  EXPECT_EQ(CPU_COUNT(&allowed), 1);
  EXPECT_TRUE(CPU_ISSET(pu, &allowed));
}

TEST(PinThread, UnknownPuIsAnError) {
  const auto topology = Topology::detect();
  ASSERT_TRUE(topology) << topology.error().message;
  const auto error = ih::hwdetect::pin_current_thread(*topology, 65000);
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("65000"), std::string::npos) << error->message;
}

TEST(PinThread, TopologyFromAnotherMachineRefusesToPin) {
  const auto topology = ih::test::load_topology_fixture("1socket-2cores.xml");
  const auto error = ih::hwdetect::pin_current_thread(topology, 0);
  ASSERT_TRUE(error);
  EXPECT_NE(error->message.find("not read from this machine"), std::string::npos) << error->message;
}

}  // namespace
