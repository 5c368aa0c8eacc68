#include "ih/kernels/cpu_dispatch.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace ih::kernels {
namespace {

TEST(CpuDispatch, ForcedRunnableScannerIsChosen) {
  const auto choice = choose_cpu_scanner("portable");
  ASSERT_TRUE(choice.ok()) << choice.error().message;
  EXPECT_EQ(choice->entry.name, "portable");
  EXPECT_TRUE(choice->rates.empty());
  EXPECT_EQ(choice->entry.make()->name(), "portable");
}

TEST(CpuDispatch, UnknownNameIsAnErrorNamingTheAvailableOnes) {
  const auto choice = choose_cpu_scanner("avx1024");
  ASSERT_FALSE(choice.ok());
  EXPECT_NE(choice.error().message.find("avx1024"), std::string::npos);
  EXPECT_NE(choice.error().message.find("portable"), std::string::npos);
  EXPECT_NE(choice.error().message.find("reference"), std::string::npos);
}

TEST(CpuDispatch, ForcedScannerTheCpuCannotRunIsAnErrorWithTheReason) {
  for (const auto& e : cpu_scanner_catalog()) {
    if (e.runnable) continue;
    const auto choice = choose_cpu_scanner(e.name);
    ASSERT_FALSE(choice.ok()) << e.name;
    EXPECT_NE(choice.error().message.find(e.why_not), std::string::npos);
    EXPECT_NE(choice.error().message.find("portable"), std::string::npos);
    return;
  }
  GTEST_SKIP() << "this CPU can run every scanner of the build";
}

TEST(CpuDispatch, SelfBenchmarkKeepsTheFavouriteUnlessAnotherIsClearlyFaster) {
  const auto choice = choose_cpu_scanner("");
  ASSERT_TRUE(choice.ok()) << choice.error().message;
  ASSERT_FALSE(choice->rates.empty());
  EXPECT_TRUE(choice->entry.runnable);
  EXPECT_NE(choice->entry.name, "reference");
  // rates[] follow the catalog's static ranking; the pick is the margin rule over them.
  std::vector<std::string> ranked;
  for (const auto& e : cpu_scanner_catalog())
    if (e.runnable && e.name != "reference") ranked.push_back(e.name);
  ASSERT_EQ(choice->rates.size(), ranked.size());
  for (std::size_t i = 0; i < ranked.size(); ++i) EXPECT_EQ(choice->rates[i].name, ranked[i]);
  const std::size_t pick = pick_by_margin(choice->rates, SelfBenchmarkOptions{}.overturn_margin);
  EXPECT_EQ(choice->rates[pick].name, choice->entry.name);
  for (const auto& r : choice->rates) {
    EXPECT_GT(r.hashes_per_second, 0) << r.name;
    EXPECT_EQ(r.trials.size(), static_cast<std::size_t>(SelfBenchmarkOptions{}.rounds));
  }
  EXPECT_FALSE(choice->why.empty());
}

}  // namespace
}  // namespace ih::kernels
