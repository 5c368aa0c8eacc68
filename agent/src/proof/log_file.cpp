#include "proof/log_file.hpp"

#include <cstring>
#include <fstream>

#include "ih/kernels/sha256.hpp"

namespace ih::proof {

namespace {

std::uint32_t checksum(std::span<const std::uint8_t> payload) {
  const Hash256 h = kernels::sha256(payload);
  return std::uint32_t{h[0]} | std::uint32_t{h[1]} << 8 | std::uint32_t{h[2]} << 16 |
         std::uint32_t{h[3]} << 24;
}

std::uint32_t load_u32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

void store_u32(Bytes& out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

bool marker_after(std::span<const std::uint8_t> data, std::size_t from) {
  for (std::size_t i = from; i + 4 <= data.size(); ++i)
    if (load_u32(data.data() + i) == kRecordMarker) return true;
  return false;
}

}  // namespace

Bytes frame_record(std::span<const std::uint8_t> payload) {
  Bytes out;
  out.reserve(kRecordOverhead + payload.size());
  store_u32(out, kRecordMarker);
  store_u32(out, static_cast<std::uint32_t>(payload.size()));
  store_u32(out, checksum(payload));
  out.insert(out.end(), payload.begin(), payload.end());
  return out;
}

LogFileContents read_log_file(const std::filesystem::path& path, std::uint64_t limit) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    LogFileContents out;
    out.warnings.push_back("cannot open " + path.string());
    return out;
  }
  Bytes data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (data.size() > limit) data.resize(static_cast<std::size_t>(limit));
  return parse_log_bytes(data, path.filename().string());
}

LogFileContents parse_log_bytes(std::span<const std::uint8_t> data, const std::string& name) {
  LogFileContents out;
  if (data.size() < sizeof kLogMagic || std::memcmp(data.data(), kLogMagic, sizeof kLogMagic)) {
    out.warnings.push_back(name + ": not a proof log (bad magic); skipped");
    return out;
  }
  std::size_t pos = sizeof kLogMagic;
  bool resyncing = false;
  while (pos + kRecordOverhead <= data.size()) {
    const std::uint8_t* p = data.data() + pos;
    if (load_u32(p) != kRecordMarker) {
      if (!resyncing)
        out.warnings.push_back(name + ": garbage at offset " + std::to_string(pos) +
                               "; skipping to the next record");
      resyncing = true;
      ++pos;
      continue;
    }
    const std::uint32_t length = load_u32(p + 4);
    if (length > kMaxRecordBytes || pos + kRecordOverhead + length > data.size()) {
      // Past the end with no record after it: the write that a crash interrupted.
      if (!marker_after(data, pos + 1)) {
        out.warnings.push_back(name + ": truncated last record at offset " + std::to_string(pos) +
                               " (an interrupted write); skipped");
        return out;
      }
      out.warnings.push_back(name + ": bad record length at offset " + std::to_string(pos));
      resyncing = true;
      ++pos;
      continue;
    }
    const std::span<const std::uint8_t> payload(p + kRecordOverhead, length);
    if (checksum(payload) != load_u32(p + 8)) {
      out.warnings.push_back(name + ": record at offset " + std::to_string(pos) +
                             " fails its checksum; skipped");
      resyncing = true;
      ++pos;
      continue;
    }
    resyncing = false;
    out.payloads.emplace_back(payload.begin(), payload.end());
    pos += kRecordOverhead + length;
  }
  if (pos < data.size() && !resyncing)
    out.warnings.push_back(name + ": truncated last record at offset " + std::to_string(pos) +
                           " (an interrupted write); skipped");
  return out;
}

}  // namespace ih::proof
