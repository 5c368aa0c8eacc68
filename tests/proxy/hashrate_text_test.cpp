// "300TH/s" and friends: the hashrate text pools.toml carries, both ways.
#include <gtest/gtest.h>

#include <cmath>

#include "proxy/hashrate_text.hpp"

namespace ih::proxy {
namespace {

struct Good {
  const char* text;
  double hs;
};

TEST(HashrateText, ParsesWhatTheToolingWrites) {
  const Good table[] = {
      {"300TH/s", 300e12},
      {"1.5PH/s", 1.5e15},
      {"950GH/s", 950e9},
      {"12 TH/s", 12e12},
      {"7H/s", 7},
      {"0TH/s", 0},
      {"1234.567TH/s", 1234.567e12},
      {"300th/s", 300e12},
      {"2kH/s", 2e3},
      {"2KH/s", 2e3},
      {"3mh/s", 3e6},
      {"4EH/s", 4e18},
      {"  5 ph/S  ", 5e15},
      {".5TH/s", 0.5e12},
      {"1e3GH/s", 1e12},
  };
  for (const Good& g : table) {
    const auto hs = parse_hashrate(g.text);
    ASSERT_TRUE(hs.ok()) << g.text << ": " << hs.error().message;
    EXPECT_DOUBLE_EQ(*hs, g.hs) << g.text;
  }
}

TEST(HashrateText, RejectsBadTextQuotingIt) {
  const char* table[] = {"",          "   ",    "th/s",      "-1TH/s",   "nanTH/s",      "infTH/s",
                         "300",       "300T",   "300TH",     "300 XH/s", "300TH/s junk", "300TH/sx",
                         "300 T H/s", "+5TH/s", "1e999TH/s", "300TH/s/s"};
  for (const char* text : table) {
    const auto hs = parse_hashrate(text);
    ASSERT_FALSE(hs.ok()) << '"' << text << "\" parsed as " << *hs;
    EXPECT_NE(hs.error().message.find(std::string("\"") + text + "\""), std::string::npos)
        << hs.error().message;
  }
}

TEST(HashrateText, FormatsThreeSignificantDigits) {
  const Good table[] = {
      {"300 TH/s", 300e12}, {"1.5 PH/s", 1.5e15},    {"950 GH/s", 950e9},  {"0 H/s", 0},
      {"7 H/s", 7},         {"12.3 TH/s", 12.34e12}, {"1 PH/s", 999.9e12}, {"2 kH/s", 2e3},
      {"1 EH/s", 1e18},     {"5000 EH/s", 5e21},     {"0.5 H/s", 0.5},
  };
  for (const Good& g : table) EXPECT_EQ(format_hashrate(g.hs), g.text) << g.hs;
}

TEST(HashrateText, FormatsNonsenseWithoutScaling) {
  EXPECT_EQ(format_hashrate(-2e12), "-2e+12 H/s");
  EXPECT_EQ(format_hashrate(INFINITY), "inf H/s");
}

TEST(HashrateText, FormatReadsBack) {
  for (const double hs : {1.0, 999.0, 3e14, 1.23e15, 4.56e17}) {
    const auto back = parse_hashrate(format_hashrate(hs));
    ASSERT_TRUE(back.ok()) << format_hashrate(hs);
    EXPECT_NEAR(*back, hs, hs * 0.005) << format_hashrate(hs);
  }
}

}  // namespace
}  // namespace ih::proxy
