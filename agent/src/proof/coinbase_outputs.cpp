#include "proof/coinbase_outputs.hpp"

namespace ih::proof {

namespace {

struct Cursor {
  std::span<const std::uint8_t> in;
  std::size_t pos = 0;
  bool ok = true;

  bool skip(std::uint64_t n) {
    if (!ok || in.size() - pos < n) return ok = false;
    pos += static_cast<std::size_t>(n);
    return true;
  }
  std::uint64_t varint() {
    if (!ok || pos >= in.size()) return ok = false;
    const std::uint8_t first = in[pos++];
    const int bytes = first < 0xfd ? 0 : first == 0xfd ? 2 : first == 0xfe ? 4 : 8;
    if (bytes == 0) return first;
    if (in.size() - pos < static_cast<std::size_t>(bytes)) return ok = false;
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v |= std::uint64_t{in[pos++]} << (8 * i);
    return v;
  }
};

}  // namespace

std::optional<std::vector<Bytes>> coinbase_output_scripts(std::span<const std::uint8_t> tx) {
  Cursor c{tx};
  c.skip(4);  // version
  if (c.varint() != 1) return std::nullopt;
  c.skip(36);          // null prevout
  c.skip(c.varint());  // scriptSig
  c.skip(4);           // sequence
  const std::uint64_t outputs = c.varint();
  if (!c.ok || outputs > tx.size()) return std::nullopt;
  std::vector<Bytes> scripts;
  for (std::uint64_t i = 0; i < outputs && c.ok; ++i) {
    c.skip(8);  // value
    const std::uint64_t length = c.varint();
    const std::size_t start = c.pos;
    if (!c.skip(length)) break;
    scripts.emplace_back(tx.begin() + static_cast<std::ptrdiff_t>(start),
                         tx.begin() + static_cast<std::ptrdiff_t>(c.pos));
  }
  c.skip(4);  // lock time
  if (!c.ok || c.pos != tx.size()) return std::nullopt;
  return scripts;
}

}  // namespace ih::proof
