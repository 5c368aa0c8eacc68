#include "proof/report.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <set>

namespace ih::proof {

WindowReport build_report(const ProofSet& proofs, std::int64_t start_ms, std::int64_t end_ms,
                          double proof_difficulty, std::string software, const Signer& signer) {
  WindowReport r;
  r.scheme = signer.scheme();
  r.agent_key = signer.public_key();
  r.software = std::move(software);
  r.start_ms = start_ms;
  r.end_ms = end_ms;
  r.proof_difficulty = proof_difficulty;
  std::map<std::size_t, std::size_t> remap;  // job index in `proofs` -> in the report
  std::set<std::string> workers, pools;
  for (const ShareProof& s : proofs.shares) {
    if (s.verdict != Verdict::accepted || s.time_ms < start_ms || s.time_ms >= end_ms) continue;
    auto [it, added] = remap.emplace(s.job, r.proofs.jobs.size());
    if (added) {
      const ProofJob& job = proofs.jobs.at(s.job);
      r.proofs.jobs.push_back(job);
      workers.insert(job.worker);
      pools.insert(job.pool_url);
    }
    ShareProof copy = s;
    copy.job = it->second;
    r.proofs.shares.push_back(std::move(copy));
    r.difficulty_sum += credited_difficulty(s, proof_difficulty);
  }
  r.workers.assign(workers.begin(), workers.end());
  r.pools.assign(pools.begin(), pools.end());
  r.estimate = estimate_hashrate(r.proofs.shares.size(), r.difficulty_sum,
                                 static_cast<double>(end_ms - start_ms) / 1000.0, proof_difficulty);
  return r;
}

Bytes signing_message(std::string_view body) {
  static constexpr std::string_view kDomain = "infinite-hashes report signature v1\n";
  Bytes out(kDomain.size() + body.size());
  std::memcpy(out.data(), kDomain.data(), kDomain.size());
  if (!body.empty()) std::memcpy(out.data() + kDomain.size(), body.data(), body.size());
  return out;
}

}  // namespace ih::proof
