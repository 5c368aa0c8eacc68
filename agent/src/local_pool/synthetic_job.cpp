#include "local_pool/synthetic_job.hpp"

#include <chrono>
#include <cstdio>
#include <string_view>

namespace ih::agent::local_pool {

namespace {

void append(stratum::Bytes& out, std::string_view text) {
  out.insert(out.end(), text.begin(), text.end());
}

void append_le(stratum::Bytes& out, std::uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) out.push_back(static_cast<std::uint8_t>(value >> (8 * i)));
}

}  // namespace

SyntheticJobs::SyntheticJobs(std::uint64_t seed, std::size_t extranonce2_size)
    : rng_(seed), extranonce2_size_(extranonce2_size) {}

stratum::JobFields SyntheticJobs::next(bool clean) {
  stratum::JobFields job;
  char id[24];
  std::snprintf(id, sizeof id, "%llx", static_cast<unsigned long long>(++counter_));
  job.job_id = id;
  for (auto& b : job.prevhash_notify) b = static_cast<std::uint8_t>(rng_());
  ++height_;

  // A coinbase transaction whose input script is: height push, tag, extranonce1, extranonce2.
  static constexpr std::string_view kTag = "/infinite-hashes local pool/";
  const std::size_t script_len = 4 + 1 + kTag.size() + kExtranonce1Size + extranonce2_size_;
  append_le(job.coinb1, 1, 4);  // tx version
  job.coinb1.push_back(1);      // one input
  job.coinb1.insert(job.coinb1.end(), 32, 0);
  append_le(job.coinb1, 0xffffffff, 4);
  job.coinb1.push_back(static_cast<std::uint8_t>(script_len));
  job.coinb1.push_back(3);  // push 3 bytes: the height (BIP 34)
  append_le(job.coinb1, height_, 3);
  job.coinb1.push_back(static_cast<std::uint8_t>(kTag.size()));
  append(job.coinb1, kTag);
  append_le(job.coinb2, 0xffffffff, 4);  // sequence
  job.coinb2.push_back(1);               // one output
  append_le(job.coinb2, 312500000, 8);   // 3.125 BTC
  job.coinb2.push_back(1);               // script: OP_TRUE
  job.coinb2.push_back(0x51);
  append_le(job.coinb2, 0, 4);  // lock time

  const std::size_t branch = 1 + rng_() % 3;
  for (std::size_t i = 0; i < branch; ++i) {
    Hash256 h{};
    for (auto& b : h) b = static_cast<std::uint8_t>(rng_());
    job.merkle_branch.push_back(h);
  }
  job.version = 0x20000000;
  job.nbits = 0x1d00ffff;
  job.ntime = static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                             std::chrono::system_clock::now().time_since_epoch())
                                             .count());
  job.clean_jobs = clean;
  return job;
}

}  // namespace ih::agent::local_pool
