// A signed window report (docs/report-format.md): the proofs of one window, what they add up
// to, and the agent's signature over the canonical serialisation of all of it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ih/result.hpp"
#include "proof/estimator.hpp"
#include "proof/share_proof.hpp"
#include "proof/signer.hpp"

namespace ih::proof {

inline constexpr const char* kReportFormat = "infinite-hashes-report/1";

struct WindowReport {
  std::string format = kReportFormat;
  std::string scheme = "ed25519";
  Bytes agent_key;
  std::string software;
  std::int64_t start_ms = 0;  // UTC, inclusive
  std::int64_t end_ms = 0;    // UTC, exclusive
  double proof_difficulty = 0;
  std::vector<std::string> workers;  // sorted, unique
  std::vector<std::string> pools;    // sorted, unique
  ProofSet proofs;                   // accepted shares of the window only
  double difficulty_sum = 0;         // of credited difficulties
  HashrateEstimate estimate;
};

// The report of [start_ms, end_ms) from `proofs` (rejected and out-of-window shares dropped,
// unused jobs too). Workers and pools are those the proofs name.
WindowReport build_report(const ProofSet& proofs, std::int64_t start_ms, std::int64_t end_ms,
                          double proof_difficulty, std::string software, const Signer& signer);

// The body as canonical JSON: keys sorted, no whitespace, integers and strings only.
std::string canonical_body(const WindowReport& report);
// What the signature covers.
Bytes signing_message(std::string_view canonical_body);

// The report file: {"body":…,"signature":{"scheme","public_key","value"}} plus a newline.
std::string signed_report_file(const WindowReport& report, const Signer& signer);

struct ParsedReport {
  WindowReport report;
  std::string body_text;  // canonical_body(report), what was signed if the file is genuine
  std::string signature_scheme;
  Bytes signature_key;
  Bytes signature;
};

// Parses a report file; errors say what is malformed.
Result<ParsedReport> parse_report(std::string_view file_text);

}  // namespace ih::proof
