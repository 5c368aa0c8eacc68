// The validator's side (DESIGN §6): checks a report from its bytes alone, and adds up what the
// valid ones prove. Used by `infinite-hashes verify`, the collector and the proxy.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "proof/estimator.hpp"
#include "proof/report.hpp"

namespace ih::proof {

struct VerifyOptions {
  std::optional<Bytes> expected_key;  // --pubkey
  std::string pool_tag;               // --pool-tag: bytes the coinbase must contain
  Bytes payout_script;                // --payout-script: an output script the coinbase must hold
};

struct WorkerFigures {
  std::uint64_t shares = 0;
  double difficulty_sum = 0;
};

struct ReportVerdict {
  bool readable = false;  // false: not a report at all (see reasons)
  bool valid = false;
  std::vector<std::string> reasons;  // each failed check, named (docs/report-format.md)
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string agent_key_hex;
  std::vector<std::string> named_workers;        // what the report claims, valid or not
  std::map<std::string, WorkerFigures> workers;  // figures of the valid proofs
  std::uint64_t proofs = 0;
  std::uint64_t valid_proofs = 0;
};

// Header hashes seen so far: a share counted once across every report given.
using SeenShares = std::set<Hash256>;

// Checks one report file; `seen` catches duplicates across reports (pass the same set to each).
ReportVerdict verify_report(std::string_view file_text, const VerifyOptions& options,
                            SeenShares& seen);

struct WorkerHashrate {
  std::string worker_id;
  HashrateEstimate estimate;
};

// Per worker over the valid reports: Σ difficulty * 2^32 / the time their windows cover.
std::vector<WorkerHashrate> verified_hashrates(const std::vector<ReportVerdict>& verdicts);

}  // namespace ih::proof
