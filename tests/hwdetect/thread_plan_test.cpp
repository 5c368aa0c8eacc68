// Topology -> thread plan: defaults, --threads, --cpu-affinity, and plans that cannot be honoured.
#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "ih/hwdetect/thread_plan.hpp"
#include "topology_fixture.hpp"

namespace {

using ih::hwdetect::plan_threads;
using ih::test::load_topology_fixture;
using Pus = std::vector<unsigned>;

Pus plan_of(const std::string& fixture, std::optional<unsigned> threads = std::nullopt,
            std::optional<std::string> affinity = std::nullopt) {
  const auto topology = load_topology_fixture(fixture);
  const auto plan = plan_threads(topology, threads, affinity);
  if (!plan) {
    ADD_FAILURE() << plan.error().message;
    return {};
  }
  return plan->pus;
}

std::string error_of(const std::string& fixture, std::optional<unsigned> threads,
                     std::optional<std::string> affinity = std::nullopt) {
  const auto topology = load_topology_fixture(fixture);
  const auto plan = plan_threads(topology, threads, affinity);
  if (plan) {
    ADD_FAILURE() << "plan accepted: " << ih::hwdetect::format_cpu_list(plan->pus);
    return {};
  }
  return plan.error().message;
}

TEST(ThreadPlan, TwoCoresNoSmtGetsOneThreadPerCore) {
  EXPECT_EQ(plan_of("1socket-2cores.xml"), (Pus{0, 1}));
}

TEST(ThreadPlan, SmtMachineDefaultsToOneThreadPerPhysicalCore) {
  EXPECT_EQ(plan_of("1socket-8cores-smt.xml"), (Pus{0, 1, 2, 3, 4, 5, 6, 7}));
}

TEST(ThreadPlan, ExtraThreadsGoToSmtSiblingsOnlyAfterEveryCoreHasOne) {
  EXPECT_EQ(plan_of("1socket-8cores-smt.xml", 3), (Pus{0, 1, 2}));
  EXPECT_EQ(plan_of("1socket-8cores-smt.xml", 10), (Pus{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  EXPECT_EQ(plan_of("1socket-8cores-smt.xml", 16).size(), 16u);
}

TEST(ThreadPlan, TwoSocketsUseEveryCoreOfBothPackages) {
  EXPECT_EQ(plan_of("2sockets-2numa.xml"), (Pus{0, 1, 2, 3, 4, 5, 6, 7}));
  EXPECT_EQ(plan_of("2sockets-2numa.xml", 16).size(), 16u);
}

TEST(ThreadPlan, HybridIntelPutsPerformanceCoresFirst) {
  // 8 P-cores (first hardware thread each), then the 4 E-cores.
  EXPECT_EQ(plan_of("hybrid-intel-8p4e.xml"), (Pus{0, 2, 4, 6, 8, 10, 12, 14, 16, 17, 18, 19}));
  EXPECT_EQ(plan_of("hybrid-intel-8p4e.xml", 4), (Pus{0, 2, 4, 6}));
  // Past 12 threads, the P-cores' SMT siblings.
  EXPECT_EQ(plan_of("hybrid-intel-8p4e.xml", 14).back(), 3u);
}

TEST(ThreadPlan, HybridArmPrefersBigCoresNumberedAfterLittleOnes) {
  EXPECT_EQ(plan_of("hybrid-arm-4little-4big.xml"), (Pus{4, 5, 6, 7, 0, 1, 2, 3}));
  EXPECT_EQ(plan_of("hybrid-arm-4little-4big.xml", 2), (Pus{4, 5}));
}

TEST(ThreadPlan, MoreThreadsThanPusIsRejectedWithAMessage) {
  const std::string message = error_of("1socket-2cores.xml", 3);
  EXPECT_NE(message.find("--threads 3"), std::string::npos) << message;
  EXPECT_NE(message.find("2 hardware threads on 2 physical cores"), std::string::npos) << message;
  EXPECT_NE(message.find("at most 2"), std::string::npos) << message;
  EXPECT_FALSE(error_of("1socket-8cores-smt.xml", 17).empty());
}

TEST(ThreadPlan, ZeroThreadsIsRejected) {
  EXPECT_NE(error_of("1socket-2cores.xml", 0).find("at least 1"), std::string::npos);
}

TEST(ThreadPlan, AffinityListGivesOneThreadPerListedCpu) {
  EXPECT_EQ(plan_of("1socket-8cores-smt.xml", std::nullopt, "0-1,8"), (Pus{0, 1, 8}));
  // Within the list, physical cores first, SMT siblings after.
  EXPECT_EQ(plan_of("1socket-8cores-smt.xml", 2, "0,8,1"), (Pus{0, 1}));
  EXPECT_EQ(plan_of("hybrid-intel-8p4e.xml", std::nullopt, "16-19,0"), (Pus{0, 16, 17, 18, 19}));
}

TEST(ThreadPlan, AffinityListWithUnknownCpuIsRejected) {
  const std::string message = error_of("1socket-2cores.xml", std::nullopt, "0-2");
  EXPECT_NE(message.find("CPU 2"), std::string::npos) << message;
  EXPECT_NE(message.find("available: 0-1"), std::string::npos) << message;
}

TEST(ThreadPlan, MoreThreadsThanTheAffinityListIsRejected) {
  const std::string message = error_of("1socket-8cores-smt.xml", 3, "0-1");
  EXPECT_NE(message.find("2 CPUs in --cpu-affinity 0-1"), std::string::npos) << message;
}

TEST(ThreadPlan, BadAffinitySyntaxIsRejected) {
  for (const char* bad : {"", "a", "1-", "-1", "3-1", "0,,1", "0,0", "1 2", "0-1-2", "99999999"}) {
    const std::string message = error_of("1socket-8cores-smt.xml", std::nullopt, bad);
    EXPECT_NE(message.find("--cpu-affinity"), std::string::npos) << "'" << bad << "': " << message;
  }
}

}  // namespace
