#include "engine/work_slice.hpp"

namespace ih::agent {

std::uint32_t deposit_bits(std::uint64_t value, std::uint32_t mask) {
  std::uint32_t out = 0;
  for (int bit = 0; bit < 32 && value != 0; ++bit) {
    if ((mask >> bit) & 1u) {
      if (value & 1u) out |= 1u << bit;
      value >>= 1;
    }
  }
  return out;
}

WorkUnit make_work_unit(const stratum::Job& job, std::uint64_t unit) {
  WorkUnit out;
  out.extranonce2.resize(job.extranonce2_size);
  std::uint64_t rest = unit;
  for (std::size_t i = 0; i < job.extranonce2_size; ++i) {  // big-endian counter
    out.extranonce2[job.extranonce2_size - 1 - i] = static_cast<std::uint8_t>(rest & 0xff);
    rest >>= 8;
  }
  // Once extranonce2 wraps, the rest of the unit index rolls the version; unit 0 keeps the job's.
  out.version_bits = (job.fields.version & job.version_mask) ^ deposit_bits(rest, job.version_mask);
  out.work =
      kernels::make_work(share_header(job, out.extranonce2, out.version_bits, 0), job.share_target);
  return out;
}

bool same_headers(const stratum::Job& a, const stratum::Job& b) {
  return a.epoch == b.epoch && a.pool_index == b.pool_index && a.fields.job_id == b.fields.job_id &&
         a.fields.prevhash_notify == b.fields.prevhash_notify &&
         a.fields.coinb1 == b.fields.coinb1 && a.fields.coinb2 == b.fields.coinb2 &&
         a.fields.merkle_branch == b.fields.merkle_branch && a.fields.version == b.fields.version &&
         a.fields.nbits == b.fields.nbits && a.fields.ntime == b.fields.ntime &&
         a.extranonce1 == b.extranonce1 && a.extranonce2_size == b.extranonce2_size &&
         a.version_mask == b.version_mask;
}

Header80 share_header(const stratum::Job& job, const stratum::Bytes& extranonce2,
                      std::uint32_t version_bits, std::uint32_t nonce) {
  stratum::ShareFields share;
  share.extranonce1 = job.extranonce1;
  share.extranonce2 = extranonce2;
  share.ntime = job.fields.ntime;
  share.nonce = nonce;
  share.version_bits = version_bits;
  share.version_mask = job.version_mask;
  return stratum::header_for_share(job.fields, share);
}

}  // namespace ih::agent
