// The topology summary read from hwloc XML fixtures of real-looking machines.
#include <gtest/gtest.h>

#include <vector>

#include "ih/hwdetect/topology.hpp"
#include "topology_fixture.hpp"

namespace {

using ih::hwdetect::Topology;
using ih::test::load_topology_fixture;

TEST(Topology, OneSocketTwoCoresNoSmt) {
  const auto topology = load_topology_fixture("1socket-2cores.xml");
  const auto& t = topology.summary();
  EXPECT_EQ(t.packages, 1u);
  EXPECT_EQ(t.cores, 2u);
  EXPECT_EQ(t.pus, 2u);
  EXPECT_EQ(t.numa_nodes, 1u);
  EXPECT_EQ(t.l2_caches, 2u);
  EXPECT_EQ(t.l3_caches, 1u);
  EXPECT_EQ(t.l2_bytes, 512000u);
  EXPECT_EQ(t.l3_bytes, 8000000u);
  EXPECT_FALSE(t.hybrid());
  ASSERT_EQ(t.core_list.size(), 2u);
  EXPECT_EQ(t.core_list[0].pus, std::vector<unsigned>{0});
  EXPECT_EQ(t.core_list[1].pus, std::vector<unsigned>{1});
  EXPECT_FALSE(topology.is_this_system());
}

TEST(Topology, OneSocketEightCoresSmtKeepsLinuxSiblingNumbers) {
  const auto topology = load_topology_fixture("1socket-8cores-smt.xml");
  const auto& t = topology.summary();
  EXPECT_EQ(t.packages, 1u);
  EXPECT_EQ(t.cores, 8u);
  EXPECT_EQ(t.pus, 16u);
  EXPECT_EQ(t.l2_caches, 8u);
  ASSERT_EQ(t.core_list.size(), 8u);
  // Linux numbers SMT siblings n and n+8 on this kind of part.
  for (unsigned i = 0; i < 8; ++i) EXPECT_EQ(t.core_list[i].pus, (std::vector<unsigned>{i, i + 8}));
}

TEST(Topology, TwoSocketsTwoNumaNodes) {
  const auto topology = load_topology_fixture("2sockets-2numa.xml");
  const auto& t = topology.summary();
  EXPECT_EQ(t.packages, 2u);
  EXPECT_EQ(t.numa_nodes, 2u);
  EXPECT_EQ(t.cores, 8u);
  EXPECT_EQ(t.pus, 16u);
  EXPECT_EQ(t.l3_caches, 2u);
  ASSERT_EQ(t.core_list.size(), 8u);
  EXPECT_EQ(t.core_list[0].package, 0u);
  EXPECT_EQ(t.core_list[3].package, 0u);
  EXPECT_EQ(t.core_list[4].package, 1u);
  EXPECT_EQ(t.core_list[7].package, 1u);
}

TEST(Topology, HybridIntelPartHasTwoKindsOfCore) {
  const auto topology = load_topology_fixture("hybrid-intel-8p4e.xml");
  const auto& t = topology.summary();
  EXPECT_EQ(t.cores, 12u);
  EXPECT_EQ(t.pus, 20u);
  ASSERT_TRUE(t.hybrid());
  ASSERT_EQ(t.kinds.size(), 2u);
  // hwloc ranks kinds slowest first.
  EXPECT_EQ(t.kinds[0].core_type, "IntelAtom");
  EXPECT_EQ(t.kinds[0].pus, (std::vector<unsigned>{16, 17, 18, 19}));
  EXPECT_EQ(t.kinds[1].core_type, "IntelCore");
  EXPECT_GT(t.kinds[1].efficiency, t.kinds[0].efficiency);
  EXPECT_EQ(t.core_list[0].kind, 1);
  EXPECT_EQ(t.core_list[0].pus, (std::vector<unsigned>{0, 1}));
  EXPECT_EQ(t.core_list[11].kind, 0);
  EXPECT_EQ(t.core_list[11].pus, std::vector<unsigned>{19});
}

TEST(Topology, MissingOrBrokenXmlIsAClearError) {
  const auto missing = Topology::from_xml("/nonexistent/topology.xml");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/topology.xml"), std::string::npos);
  // A file that exists but is not hwloc XML (any fixture that is not XML will do).
  const auto broken = Topology::from_xml(std::string(IH_TEST_DATA_DIR) + "/hwloc/README.md");
  ASSERT_FALSE(broken);
  EXPECT_NE(broken.error().message.find("not a valid hwloc XML"), std::string::npos)
      << broken.error().message;
}

TEST(Topology, ThisMachineHasAtLeastOneCore) {
  const auto topology = Topology::detect();
  ASSERT_TRUE(topology) << topology.error().message;
  const auto& t = topology->summary();
  EXPECT_GE(t.cores, 1u);
  EXPECT_GE(t.pus, t.cores);
  EXPECT_TRUE(topology->is_this_system());
}

}  // namespace
