// Linux CPU list syntax ("0-3,8,10-11"), both ways.
#include <gtest/gtest.h>

#include <vector>

#include "ih/hwdetect/thread_plan.hpp"

namespace {

using ih::hwdetect::format_cpu_list;
using ih::hwdetect::parse_cpu_list;
using Cpus = std::vector<unsigned>;

TEST(CpuList, ParsesNumbersAndRangesInTheGivenOrder) {
  EXPECT_EQ(*parse_cpu_list("0"), Cpus{0});
  EXPECT_EQ(*parse_cpu_list("0-3,8,10-11"), (Cpus{0, 1, 2, 3, 8, 10, 11}));
  EXPECT_EQ(*parse_cpu_list("8,1-2"), (Cpus{8, 1, 2}));
  EXPECT_EQ(*parse_cpu_list("5-5"), Cpus{5});
}

TEST(CpuList, RejectsBadSyntaxSayingWhatWasWrong) {
  EXPECT_NE(parse_cpu_list("").error().message.find("empty"), std::string::npos);
  EXPECT_NE(parse_cpu_list("0,x").error().message.find("'x' is not a CPU number"),
            std::string::npos);
  EXPECT_NE(parse_cpu_list("4-2").error().message.find("runs backwards"), std::string::npos);
  EXPECT_NE(parse_cpu_list("0-2,1").error().message.find("CPU 1 is listed twice"),
            std::string::npos);
  for (const char* bad : {",", "0,", ",0", "1-", "-1", "0-1-2", " 1", "1 ", "+1", "0x1", "70000"})
    EXPECT_FALSE(parse_cpu_list(bad)) << "'" << bad << "' accepted";
}

TEST(CpuList, FormatsWithRangesCollapsed) {
  EXPECT_EQ(format_cpu_list({}), "");
  EXPECT_EQ(format_cpu_list({3}), "3");
  EXPECT_EQ(format_cpu_list({8, 0, 1, 2, 3, 10, 11}), "0-3,8,10-11");
  EXPECT_EQ(format_cpu_list({0, 2, 4}), "0,2,4");
}

TEST(CpuList, FormatThenParseRoundTrips) {
  const Cpus cpus{0, 1, 2, 5, 7, 8, 9, 63, 64};
  EXPECT_EQ(*parse_cpu_list(format_cpu_list(cpus)), cpus);
}

}  // namespace
