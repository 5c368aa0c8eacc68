// Loads one of the hwloc XML topologies kept in tests/data/hwloc (see its README).
#pragma once

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "ih/hwdetect/topology.hpp"

namespace ih::test {

inline hwdetect::Topology load_topology_fixture(const std::string& name) {
  const std::string path = std::string(IH_TEST_DATA_DIR) + "/hwloc/" + name;
  auto topology = hwdetect::Topology::from_xml(path);
  if (!topology) throw std::runtime_error(topology.error().message);
  return std::move(topology).value();
}

}  // namespace ih::test
