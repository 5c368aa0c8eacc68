// Every CPU scanner in the catalog against the reference. Scanners this CPU cannot run are
// skipped with the catalog's reason, never passed silently.
#include <gtest/gtest.h>

#include "ih/kernels/scanner_catalog.hpp"
#include "scanner_checks.hpp"

namespace ih::kernels {
namespace {

std::vector<std::string> catalog_names() {
  std::vector<std::string> names;
  for (const auto& e : cpu_scanner_catalog()) names.push_back(e.name);
  return names;
}

class CpuScannerTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    for (auto& e : cpu_scanner_catalog()) {
      if (e.name != GetParam()) continue;
      if (!e.runnable) GTEST_SKIP() << "scanner '" << e.name << "' skipped: " << e.why_not;
      scanner_ = e.make();
    }
    ASSERT_NE(scanner_, nullptr);
    ASSERT_EQ(scanner_->name(), GetParam());
    ASSERT_GE(scanner_->lanes(), 1u);
  }
  std::unique_ptr<Scanner> scanner_;
};

TEST_P(CpuScannerTest, ExactCandidateSetOnRandomWork) {
  testing::check_random_work_exact_set(*scanner_);
}
TEST_P(CpuScannerTest, TargetBoundaries) {
  testing::check_target_boundaries(*scanner_);
}
TEST_P(CpuScannerTest, CountsAndWrappingRanges) {
  testing::check_ranges(*scanner_);
}
TEST_P(CpuScannerTest, RolledVersionBits) {
  testing::check_rolled_versions(*scanner_);
}

INSTANTIATE_TEST_SUITE_P(Catalog, CpuScannerTest, ::testing::ValuesIn(catalog_names()),
                         [](const auto& param_info) {
                           std::string name = param_info.param;
                           for (char& c : name)
                             if (c == '-') c = '_';
                           return name;
                         });

TEST(CpuScannerCatalog, ListsEveryKernelOfThisBuildWithReasons) {
  const auto catalog = cpu_scanner_catalog();
  std::vector<std::string> names;
  for (const auto& e : catalog) {
    names.push_back(e.name);
    EXPECT_EQ(e.device, DeviceKind::cpu);
    EXPECT_EQ(e.runnable, e.why_not.empty()) << e.name << ": " << e.why_not;
  }
#if defined(__x86_64__)
  EXPECT_EQ(names, (std::vector<std::string>{"avx512", "sha-ni", "avx2", "portable", "reference"}));
#else
  EXPECT_EQ(names, (std::vector<std::string>{"portable", "reference"}));
#endif
}

}  // namespace
}  // namespace ih::kernels
