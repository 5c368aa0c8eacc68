// libFuzzer target: the notify fields straight into the job decoder and, when they decode, the
// header builder with extranonces and version bits taken from the input. Nothing may crash.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ih/stratum/protocol/header.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ih::stratum;
  // Fields separated by '|': prevhash|coinb1|coinb2|branch,branch|version|nbits|ntime|en1|en2
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::string_view f[9];
  for (auto& field : f) {
    const auto bar = input.find('|');
    field = input.substr(0, bar);
    input = bar == std::string_view::npos ? std::string_view() : input.substr(bar + 1);
  }
  std::vector<std::string> branch;
  for (std::string_view b = f[3]; !b.empty();) {
    const auto comma = b.find(',');
    branch.emplace_back(b.substr(0, comma));
    b = comma == std::string_view::npos ? std::string_view() : b.substr(comma + 1);
  }
  auto job = decode_job_fields("fuzz", f[0], f[1], f[2], branch, f[4], f[5], f[6], true);
  if (!job) return 0;
  ShareFields share;
  share.extranonce1 = Bytes(f[7].begin(), f[7].end());
  share.extranonce2 = Bytes(f[8].begin(), f[8].end());
  share.ntime = job->ntime;
  share.nonce = static_cast<std::uint32_t>(size);
  share.version_bits = 0xffffffff;
  share.version_mask = static_cast<std::uint32_t>(size * 2654435761u);
  (void)header_for_share(*job, share);
  return 0;
}
