#include "ih/stratum/protocol/header.hpp"

#include <algorithm>
#include <cstring>

namespace ih::stratum {

namespace {

void store_le32(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}

Result<std::uint32_t> field_u32(std::string_view name, std::string_view hex) {
  auto v = u32_from_be_hex(hex);
  if (!v) return make_error(std::string(name) + ": " + v.error().message);
  return v;
}

}  // namespace

Result<JobFields> decode_job_fields(std::string job_id, std::string_view prevhash,
                                    std::string_view coinb1, std::string_view coinb2,
                                    std::span<const std::string> merkle_branch,
                                    std::string_view version, std::string_view nbits,
                                    std::string_view ntime, bool clean_jobs) {
  JobFields job;
  if (job_id.empty()) return make_error("job_id is empty");
  job.job_id = std::move(job_id);
  auto prev = hash_from_hex(prevhash);
  if (!prev) return make_error("prevhash: " + prev.error().message);
  job.prevhash_notify = *prev;
  auto c1 = from_hex(coinb1);
  if (!c1) return make_error("coinb1: " + c1.error().message);
  job.coinb1 = std::move(*c1);
  auto c2 = from_hex(coinb2);
  if (!c2) return make_error("coinb2: " + c2.error().message);
  job.coinb2 = std::move(*c2);
  if (merkle_branch.size() > kMaxMerkleBranch)
    return make_error("merkle_branch has " + std::to_string(merkle_branch.size()) +
                      " entries; at most " + std::to_string(kMaxMerkleBranch) + " are allowed");
  for (std::size_t i = 0; i < merkle_branch.size(); ++i) {
    auto h = hash_from_hex(merkle_branch[i]);
    if (!h) return make_error("merkle_branch[" + std::to_string(i) + "]: " + h.error().message);
    job.merkle_branch.push_back(*h);
  }
  auto v = field_u32("version", version);
  if (!v) return v.error();
  job.version = *v;
  auto b = field_u32("nbits", nbits);
  if (!b) return b.error();
  job.nbits = *b;
  auto t = field_u32("ntime", ntime);
  if (!t) return t.error();
  job.ntime = *t;
  job.clean_jobs = clean_jobs;
  return job;
}

Bytes build_coinbase(std::span<const std::uint8_t> coinb1,
                     std::span<const std::uint8_t> extranonce1,
                     std::span<const std::uint8_t> extranonce2,
                     std::span<const std::uint8_t> coinb2) {
  Bytes out;
  out.reserve(coinb1.size() + extranonce1.size() + extranonce2.size() + coinb2.size());
  out.insert(out.end(), coinb1.begin(), coinb1.end());
  out.insert(out.end(), extranonce1.begin(), extranonce1.end());
  out.insert(out.end(), extranonce2.begin(), extranonce2.end());
  out.insert(out.end(), coinb2.begin(), coinb2.end());
  return out;
}

Hash256 merkle_root(const Hash256& coinbase_hash, std::span<const Hash256> branch) {
  Hash256 root = coinbase_hash;
  std::uint8_t pair[64];
  for (const Hash256& node : branch) {
    std::memcpy(pair, root.data(), 32);
    std::memcpy(pair + 32, node.data(), 32);
    root = kernels::sha256d_fast(pair);  // the same digest; verifiers hash millions of these
  }
  return root;
}

Hash256 prevhash_to_header_order(const Hash256& prevhash_notify) {
  Hash256 out{};
  for (int word = 0; word < 8; ++word)
    for (int b = 0; b < 4; ++b) out[4 * word + b] = prevhash_notify[4 * word + 3 - b];
  return out;
}

Header80 build_header(std::uint32_t version, const Hash256& prevhash_notify, const Hash256& merkle,
                      std::uint32_t ntime, std::uint32_t nbits, std::uint32_t nonce) {
  Header80 h{};
  store_le32(h.data(), version);
  const Hash256 prev = prevhash_to_header_order(prevhash_notify);
  std::copy(prev.begin(), prev.end(), h.begin() + 4);
  std::copy(merkle.begin(), merkle.end(), h.begin() + 36);
  store_le32(h.data() + 68, ntime);
  store_le32(h.data() + 72, nbits);
  store_le32(h.data() + 76, nonce);
  return h;
}

Header80 header_for_share(const JobFields& job, const ShareFields& share) {
  const Bytes coinbase =
      build_coinbase(job.coinb1, share.extranonce1, share.extranonce2, job.coinb2);
  const Hash256 root = merkle_root(kernels::sha256d(coinbase), job.merkle_branch);
  const std::uint32_t version = roll_version(job.version, share.version_bits, share.version_mask);
  return build_header(version, job.prevhash_notify, root, share.ntime, job.nbits, share.nonce);
}

}  // namespace ih::stratum
