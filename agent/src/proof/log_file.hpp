// Framing of one proof log file (docs/proof-log.md): a magic, then records of
// marker | length | checksum | payload. A reader skips a record that fails its checksum and
// resynchronises on the next marker, so one bad record never hides the rest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <limits>
#include <span>
#include <string>
#include <vector>

#include "proof/share_proof.hpp"

namespace ih::proof {

inline constexpr char kLogMagic[8] = {'I', 'H', 'P', 'R', 'O', 'O', 'F', '1'};
inline constexpr std::uint32_t kRecordMarker = 0x52504849;  // "IHPR" little-endian
inline constexpr std::size_t kRecordOverhead = 12;          // marker, length, checksum
inline constexpr std::uint32_t kMaxRecordBytes = 1 << 20;

// marker | length | checksum | payload, ready for one write().
Bytes frame_record(std::span<const std::uint8_t> payload);

struct LogFileContents {
  std::vector<Bytes> payloads;  // records that passed their checksum, in order
  std::vector<std::string> warnings;
};

// The records of one log file's bytes; `name` labels the warnings.
LogFileContents parse_log_bytes(std::span<const std::uint8_t> data, const std::string& name);

// Reads at most `limit` bytes of `path` (a file still being written is read up to what was
// complete when the caller looked).
LogFileContents read_log_file(const std::filesystem::path& path,
                              std::uint64_t limit = std::numeric_limits<std::uint64_t>::max());

}  // namespace ih::proof
