// POST /api/v1/reports: one pushed report file in, a verdict out (docs/collect.md). In order:
// readable (400), within the key's rate (429), already stored (200, idempotent), sane worker
// ids (422), the key may report for every worker's hotkey (403), valid by the proof library
// and inside the retention (422), no share claimed before by any stored report (409), stored
// (201). Verification runs outside the store's lock, so threads verify in parallel.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "collect/agent_authority.hpp"
#include "collect/collect_metrics.hpp"
#include "collect/collect_store.hpp"
#include "collect/rate_limiter.hpp"
#include "proof/verifier.hpp"

namespace ih::collect {

struct IngestOptions {
  proof::VerifyOptions verify;                      // pool tag, payout script
  std::chrono::seconds max_clock_skew{300};         // a window may end this far in the future
  double rate_burst = 20;                           // reports a key may send at once
  std::chrono::milliseconds rate_interval{30'000};  // then one per interval
};

struct IngestOutcome {
  int status = 0;
  std::string body;  // JSON
};

class ReportIngest {
 public:
  ReportIngest(CollectStore& store, const AgentAuthority& authority, CollectMetrics& metrics,
               IngestOptions options);

  IngestOutcome ingest(std::string_view file, std::int64_t now_ms);

 private:
  IngestOutcome refuse(int status, const std::string& verdict, std::vector<std::string> reasons,
                       Refusal refusal);

  CollectStore& store_;
  const AgentAuthority& authority_;
  CollectMetrics& metrics_;
  IngestOptions options_;
  RateLimiter limiter_;
};

}  // namespace ih::collect
