#include "proof/verifier.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <random>
#include <unordered_set>

#include "ih/hex_encode.hpp"
#include "ih/kernels/uint256.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "proof/coinbase_outputs.hpp"

namespace ih::proof {

namespace {

// Buckets for header hashes, keyed per process: a report's author cannot grind shares into one
// bucket (cheap at a low proof difficulty) to make the duplicate check quadratic.
struct HashOfHash {
  std::size_t operator()(const Hash256& h) const {
    static const std::uint64_t key =
        (std::uint64_t{std::random_device{}()} << 32 | std::random_device{}()) | 1;
    std::uint64_t a = 0, b = 0;
    std::memcpy(&a, h.data() + 8, sizeof a);
    std::memcpy(&b, h.data() + 16, sizeof b);
    const std::uint64_t mixed = (a ^ key) * 0x9e3779b97f4a7c15ULL + (b ^ (key >> 7));
    return static_cast<std::size_t>(mixed ^ (mixed >> 29));
  }
};

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}

bool contains(std::span<const std::uint8_t> haystack, std::span<const std::uint8_t> needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

// Counts failures per check so a report with 5 000 bad proofs names each check once.
class Reasons {
 public:
  void add(const std::string& code) { ++counts_[code]; }
  std::vector<std::string> list() const {
    std::vector<std::string> out;
    for (const auto& [code, n] : counts_)
      out.push_back(code + ": " + std::to_string(n) + " proof(s)");
    return out;
  }
  bool empty() const { return counts_.empty(); }

 private:
  std::map<std::string, std::uint64_t> counts_;
};

class ShareChecker {
 public:
  ShareChecker(const WindowReport& report, const VerifyOptions& options)
      : report_(report), options_(options) {
    tag_.assign(options.pool_tag.begin(), options.pool_tag.end());
    for (const ProofJob& job : report.proofs.jobs)
      prevhashes_.push_back(stratum::prevhash_to_header_order(job.prevhash_notify));
  }

  // The first failed check's code, or empty; `hash` is the header's sha256d.
  std::string check(const ShareProof& s, Hash256& hash) {
    const ProofJob& job = report_.proofs.jobs[s.job];
    const std::uint8_t* h = s.header.data();
    if (std::memcmp(h + 4, prevhashes_[s.job].data(), 32) != 0) return "prevhash_mismatch";
    if (load_le32(h + 72) != job.nbits) return "nbits_mismatch";
    if ((load_le32(h) & ~job.version_mask) != (job.version & ~job.version_mask))
      return "version_outside_mask";
    const Bytes coinbase =
        stratum::build_coinbase(job.coinb1, job.extranonce1, s.extranonce2, job.coinb2);
    const Hash256 root = stratum::merkle_root(kernels::sha256d_fast(coinbase), job.merkle_branch);
    if (std::memcmp(h + 36, root.data(), 32) != 0) return "merkle_root_mismatch";
    hash = kernels::sha256d_fast(s.header);
    const double credited = credited_difficulty(s, report_.proof_difficulty);
    if (!(credited > 0)) return "below_claimed_difficulty";
    if (credited != target_difficulty_) {
      auto target = stratum::difficulty_to_target(credited);
      if (!target) return "below_claimed_difficulty";
      target_ = *target;
      target_difficulty_ = credited;
    }
    if (Uint256::from_le_bytes(hash) > target_) return "below_claimed_difficulty";
    if (s.time_ms < report_.start_ms || s.time_ms >= report_.end_ms) return "outside_window";
    if (!tag_.empty() && !contains(coinbase, tag_)) return "pool_tag_missing";
    if (!options_.payout_script.empty()) {
      const auto scripts = coinbase_output_scripts(coinbase);
      if (!scripts ||
          std::find(scripts->begin(), scripts->end(), options_.payout_script) == scripts->end())
        return "payout_script_missing";
    }
    return {};
  }

 private:
  const WindowReport& report_;
  const VerifyOptions& options_;
  Bytes tag_;
  std::vector<Hash256> prevhashes_;
  double target_difficulty_ = -1;
  Uint256 target_;
};

void check_report_claims(const ParsedReport& parsed, const VerifyOptions& options,
                         Reasons& reasons) {
  const WindowReport& r = parsed.report;
  if (parsed.signature_scheme != r.scheme || parsed.signature_key != r.agent_key)
    reasons.add("signature_key_mismatch");
  else if (!verify_signature(r.scheme, r.agent_key, signing_message(parsed.body_text),
                             parsed.signature))
    reasons.add("bad_signature");
  if (options.expected_key && *options.expected_key != r.agent_key) reasons.add("unexpected_key");
  if (r.end_ms <= r.start_ms) reasons.add("bad_window");
  std::vector<bool> job_used(r.proofs.jobs.size(), false);
  for (const ShareProof& s : r.proofs.shares) job_used[s.job] = true;
  std::set<std::string> named;
  for (std::size_t j = 0; j < job_used.size(); ++j)
    if (job_used[j]) named.insert(r.proofs.jobs[j].worker);
  if (std::set<std::string>(r.workers.begin(), r.workers.end()) != named)
    reasons.add("worker_ids_mismatch");
}

}  // namespace

ReportVerdict verify_report(std::string_view file_text, const VerifyOptions& options,
                            SeenShares& seen) {
  ReportVerdict v;
  auto parsed = parse_report(file_text);
  if (!parsed) {
    v.reasons.push_back("unreadable: " + parsed.error().message);
    return v;
  }
  v.readable = true;
  const WindowReport& r = parsed->report;
  v.start_ms = r.start_ms;
  v.end_ms = r.end_ms;
  v.agent_key_hex = hex_encode(r.agent_key);
  v.proofs = r.proofs.shares.size();
  v.named_workers = r.workers;
  Reasons reasons;
  check_report_claims(*parsed, options, reasons);
  ShareChecker checker(r, options);
  // This report's shares: hashed for the duplicate check, sorted afterwards for `seen`.
  std::unordered_set<Hash256, HashOfHash> in_report;
  in_report.reserve(r.proofs.shares.size());
  std::vector<WorkerFigures*> job_worker(r.proofs.jobs.size(), nullptr);
  double sum = 0;
  for (const ShareProof& s : r.proofs.shares) {
    Hash256 hash{};
    std::string failed = checker.check(s, hash);
    if (failed.empty() && !in_report.insert(hash).second) failed = "duplicate_in_report";
    if (failed.empty() && seen.count(hash) > 0) failed = "duplicate_across_reports";
    if (!failed.empty()) {
      reasons.add(failed);
      continue;
    }
    const double credited = credited_difficulty(s, r.proof_difficulty);
    sum += credited;
    WorkerFigures*& w = job_worker[s.job];
    if (w == nullptr) w = &v.workers[r.proofs.jobs[s.job].worker];
    ++w->shares;
    w->difficulty_sum += credited;
    ++v.valid_proofs;
  }
  if (std::abs(sum - r.difficulty_sum) > 1e-9 * std::max(1.0, sum) && reasons.empty())
    reasons.add("difficulty_sum_mismatch");
  v.reasons = reasons.list();
  v.valid = v.reasons.empty();
  if (v.valid) {
    std::vector<Hash256> sorted(in_report.begin(), in_report.end());
    std::sort(sorted.begin(), sorted.end());
    for (const Hash256& h : sorted) seen.emplace_hint(seen.end(), h);
  } else
    v.workers.clear();  // an invalid report proves nothing, and claims no share
  return v;
}

std::vector<WorkerHashrate> verified_hashrates(const std::vector<ReportVerdict>& verdicts) {
  std::vector<std::pair<std::int64_t, std::int64_t>> windows;
  std::map<std::string, WorkerFigures> totals;
  for (const ReportVerdict& v : verdicts) {
    if (!v.valid) continue;
    windows.emplace_back(v.start_ms, v.end_ms);
    for (const auto& [id, f] : v.workers) {
      totals[id].shares += f.shares;
      totals[id].difficulty_sum += f.difficulty_sum;
    }
  }
  // The time the valid windows cover, overlaps counted once.
  std::sort(windows.begin(), windows.end());
  std::int64_t covered_ms = 0, reach = std::numeric_limits<std::int64_t>::min();
  for (auto [start, end] : windows) {
    start = std::max(start, reach);
    if (end > start) covered_ms += end - start;
    reach = std::max(reach, end);
  }
  std::vector<WorkerHashrate> out;
  for (const auto& [id, f] : totals)
    out.push_back({id, estimate_hashrate(f.shares, f.difficulty_sum,
                                         static_cast<double>(covered_ms) / 1000.0, 0)});
  return out;
}

}  // namespace ih::proof
