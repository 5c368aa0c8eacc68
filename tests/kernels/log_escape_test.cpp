#include "ih/log_escape.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using ih::escape_for_log;

TEST(LogEscape, PrintableTextIsUnchanged) {
  EXPECT_EQ(escape_for_log("mining.notify job 1f"), "mining.notify job 1f");
}

TEST(LogEscape, ControlBytesEscapeSequencesAndHighBytesAreHex) {
  EXPECT_EQ(escape_for_log(std::string("a\x1b[2Jb\n\r\t\x7f\x9b\xff", 12)),
            "a\\x1b[2Jb\\x0a\\x0d\\x09\\x7f\\x9b\\xff");
  EXPECT_EQ(escape_for_log(std::string("\0z", 2)), "\\x00z");
  // A backslash is escaped too, so "\x41" in the output always means one escaped byte.
  EXPECT_EQ(escape_for_log("a\\x41"), "a\\x5cx41");
}

TEST(LogEscape, LongInputIsCutWithItsLength) {
  const std::string line(65536, 'x');
  const std::string out = escape_for_log(line);
  EXPECT_EQ(out, std::string(160, 'x') + "... (65536 bytes)");
  EXPECT_EQ(escape_for_log("abcdef", 3), "abc... (6 bytes)");
  // An escape is never split across the cut.
  EXPECT_EQ(escape_for_log("ab\x01", 5), "ab... (3 bytes)");
}

TEST(LogEscape, NoByteBelowSpaceOrDelSurvives) {
  std::string all;
  for (int b = 0; b < 256; ++b) all.push_back(static_cast<char>(b));
  const std::string out = escape_for_log(all, 4096);
  for (const char ch : out) {
    const auto byte = static_cast<unsigned char>(ch);
    EXPECT_TRUE(byte >= 0x20 && byte < 0x7f) << static_cast<int>(byte);
  }
}

}  // namespace
