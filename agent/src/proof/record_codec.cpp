#include "proof/record_codec.hpp"

#include <bit>
#include <cstring>
#include <string>

namespace ih::proof {

namespace {

class Writer {
 public:
  explicit Writer(RecordType type) { out_.push_back(static_cast<std::uint8_t>(type)); }
  void u8(std::uint8_t v) { out_.push_back(v); }
  void u32(std::uint32_t v) {
    for (int i = 0; i < 4; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void u64(std::uint64_t v) {
    for (int i = 0; i < 8; ++i) out_.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
  void raw(std::span<const std::uint8_t> bytes) {
    out_.insert(out_.end(), bytes.begin(), bytes.end());
  }
  // Up to 65535 bytes, with a 2-byte length.
  void blob(std::span<const std::uint8_t> bytes) {
    const auto n = static_cast<std::uint16_t>(bytes.size());
    u8(static_cast<std::uint8_t>(n));
    u8(static_cast<std::uint8_t>(n >> 8));
    raw(bytes.first(n));
  }
  void text(const std::string& s) {
    blob({reinterpret_cast<const std::uint8_t*>(s.data()), s.size()});
  }
  Bytes take() { return std::move(out_); }

 private:
  Bytes out_;
};

class Reader {
 public:
  explicit Reader(std::span<const std::uint8_t> in) : in_(in) {}
  bool ok() const { return ok_; }
  bool done() const { return ok_ && pos_ == in_.size(); }
  std::span<const std::uint8_t> take(std::size_t n) {
    if (!ok_ || in_.size() - pos_ < n) {
      ok_ = false;
      return {};
    }
    auto s = in_.subspan(pos_, n);
    pos_ += n;
    return s;
  }
  std::uint8_t u8() {
    auto s = take(1);
    return s.empty() ? 0 : s[0];
  }
  std::uint64_t uint(int bytes) {
    auto s = take(static_cast<std::size_t>(bytes));
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < s.size(); ++i) v |= std::uint64_t{s[i]} << (8 * i);
    return v;
  }
  std::uint32_t u32() { return static_cast<std::uint32_t>(uint(4)); }
  std::uint64_t u64() { return uint(8); }
  Bytes blob() {
    const std::size_t low = u8();  // two statements: operand order is unspecified
    const std::size_t n = low | std::size_t{u8()} << 8;
    auto s = take(n);
    return Bytes(s.begin(), s.end());
  }
  std::string text() {
    const Bytes b = blob();
    return std::string(b.begin(), b.end());
  }
  template <std::size_t N>
  std::array<std::uint8_t, N> array() {
    std::array<std::uint8_t, N> a{};
    auto s = take(N);
    if (!s.empty()) std::memcpy(a.data(), s.data(), N);
    return a;
  }

 private:
  std::span<const std::uint8_t> in_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace

Bytes encode_job_record(std::uint32_t key, const ProofJob& job) {
  Writer w(RecordType::job);
  w.u32(key);
  w.text(job.pool_url);
  w.text(job.worker);
  w.text(job.job_id);
  w.raw(job.prevhash_notify);
  w.blob(job.coinb1);
  w.blob(job.coinb2);
  w.u8(static_cast<std::uint8_t>(job.merkle_branch.size()));
  for (const Hash256& h : job.merkle_branch) w.raw(h);
  w.u32(job.version);
  w.u32(job.version_mask);
  w.u32(job.nbits);
  w.blob(job.extranonce1);
  return w.take();
}

Bytes encode_share_record(std::uint32_t job_key, const ShareProof& share) {
  Writer w(RecordType::share);
  w.u32(job_key);
  w.raw(share.header);
  w.u8(static_cast<std::uint8_t>(share.extranonce2.size()));
  w.raw(share.extranonce2);
  w.u64(std::bit_cast<std::uint64_t>(share.share_difficulty));
  w.u8(static_cast<std::uint8_t>(share.verdict));
  w.u64(static_cast<std::uint64_t>(share.time_ms));
  return w.take();
}

std::optional<RecordType> record_type(std::span<const std::uint8_t> payload) {
  if (payload.empty()) return std::nullopt;
  if (payload[0] == static_cast<std::uint8_t>(RecordType::job)) return RecordType::job;
  if (payload[0] == static_cast<std::uint8_t>(RecordType::share)) return RecordType::share;
  return std::nullopt;
}

std::optional<std::pair<std::uint32_t, ProofJob>> decode_job_record(
    std::span<const std::uint8_t> payload) {
  Reader r(payload);
  if (r.u8() != static_cast<std::uint8_t>(RecordType::job)) return std::nullopt;
  const std::uint32_t key = r.u32();
  ProofJob job;
  job.pool_url = r.text();
  job.worker = r.text();
  job.job_id = r.text();
  job.prevhash_notify = r.array<32>();
  job.coinb1 = r.blob();
  job.coinb2 = r.blob();
  const std::size_t branch = r.u8();
  for (std::size_t i = 0; i < branch && r.ok(); ++i) job.merkle_branch.push_back(r.array<32>());
  job.version = r.u32();
  job.version_mask = r.u32();
  job.nbits = r.u32();
  job.extranonce1 = r.blob();
  if (!r.done()) return std::nullopt;
  return std::pair{key, std::move(job)};
}

std::optional<ShareRecord> decode_share_record(std::span<const std::uint8_t> payload) {
  Reader r(payload);
  if (r.u8() != static_cast<std::uint8_t>(RecordType::share)) return std::nullopt;
  ShareRecord rec;
  rec.job_key = r.u32();
  rec.share.header = r.array<80>();
  const std::size_t en2 = r.u8();
  auto bytes = r.take(en2);
  rec.share.extranonce2.assign(bytes.begin(), bytes.end());
  rec.share.share_difficulty = std::bit_cast<double>(r.u64());
  const std::uint8_t verdict = r.u8();
  rec.share.time_ms = static_cast<std::int64_t>(r.u64());
  if (!r.done()) return std::nullopt;
  if (verdict != static_cast<std::uint8_t>(Verdict::accepted) &&
      verdict != static_cast<std::uint8_t>(Verdict::rejected))
    return std::nullopt;
  rec.share.verdict = static_cast<Verdict>(verdict);
  return rec;
}

}  // namespace ih::proof
