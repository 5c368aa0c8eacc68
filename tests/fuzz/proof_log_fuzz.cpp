// libFuzzer target: arbitrary bytes as a proof log file (docs/proof-log.md): the framing reader,
// then every record that passes its checksum through the record decoders, and what decodes
// encoded again and decoded back. Nothing may crash, and a decoded record must survive the trip.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

#include "proof/log_file.hpp"
#include "proof/record_codec.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ih::proof;
  const LogFileContents contents = parse_log_bytes(std::span(data, size), "fuzz.log");
  for (const Bytes& payload : contents.payloads) {
    const auto type = record_type(payload);
    if (type == RecordType::job) {
      const auto job = decode_job_record(payload);
      if (!job) continue;
      const auto again = decode_job_record(encode_job_record(job->first, job->second));
      if (!again || again->first != job->first || !(again->second == job->second)) std::abort();
    } else if (type == RecordType::share) {
      const auto rec = decode_share_record(payload);
      if (!rec) continue;
      const auto again = decode_share_record(encode_share_record(rec->job_key, rec->share));
      if (!again || again->job_key != rec->job_key || again->share.header != rec->share.header ||
          again->share.extranonce2 != rec->share.extranonce2 ||
          again->share.time_ms != rec->share.time_ms)
        std::abort();
    }
  }
  return 0;
}
