// Test fixtures live in tests/data (copied from ../shared/vectors so a plain clone passes).
#pragma once

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace ih::test {

// Reads tests/data/<name>; a missing fixture fails the test, it never skips.
inline std::string read_test_data(const std::string& name) {
  const std::string path = std::string(IH_TEST_DATA_DIR) + "/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "test data file missing: " << path;
    return {};
  }
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

}  // namespace ih::test
