// libFuzzer target: arbitrary bytes as a window report file (docs/report-format.md), through the
// parser and the whole verifier, then the hashrate of what verified. Bad input must end in a
// verdict with reasons, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "proof/report.hpp"
#include "proof/verifier.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ih::proof;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  if (auto parsed = parse_report(text)) (void)canonical_body(parsed->report);
  SeenShares seen;
  const ReportVerdict verdict = verify_report(text, {}, seen);
  (void)verified_hashrates({verdict});
  return 0;
}
