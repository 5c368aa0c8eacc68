#include "collect/report_ingest.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "ih/hex_encode.hpp"
#include "ih/log_escape.hpp"
#include "proof/utc_time.hpp"

namespace ih::collect {

namespace {

using nlohmann::json;

constexpr std::size_t kMaxWorkerIdChars = 200;

std::string dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Printable ASCII without spaces: what SN89 worker ids are, and safe to list and log.
bool sane_worker_id(const std::string& id) {
  return !id.empty() && id.size() <= kMaxWorkerIdChars &&
         std::all_of(id.begin(), id.end(), [](unsigned char c) { return c > 0x20 && c < 0x7f; });
}

std::string joined(const std::vector<std::string>& reasons) {
  std::string out;
  for (const std::string& r : reasons) out += (out.empty() ? "" : "; ") + r;
  return out;
}

}  // namespace

ReportIngest::ReportIngest(CollectStore& store, const AgentAuthority& authority,
                           CollectMetrics& metrics, IngestOptions options)
    : store_(store),
      authority_(authority),
      metrics_(metrics),
      options_(std::move(options)),
      limiter_(options_.rate_burst, options_.rate_interval) {}

IngestOutcome ReportIngest::refuse(int status, const std::string& verdict,
                                   std::vector<std::string> reasons, Refusal refusal) {
  metrics_.count_report(verdict);
  metrics_.count_reasons(reasons);
  spdlog::warn("collect: refused a report from key {} ({} {}): {}",
               escape_for_log(refusal.agent_key), status, verdict,
               escape_for_log(joined(reasons), 400));
  refusal.status = status;
  refusal.verdict = verdict;
  refusal.reasons = reasons;
  if (status != 400 && status != 429) store_.record_refusal(refusal);
  return {status, dump({{"status", verdict}, {"reasons", reasons}})};
}

IngestOutcome ReportIngest::ingest(std::string_view file, std::int64_t now_ms) {
  auto parsed = proof::parse_report(file);
  if (!parsed) {
    metrics_.count_report("unreadable");
    return {400, dump({{"status", "unreadable"}, {"reasons", {parsed.error().message}}})};
  }
  const proof::WindowReport& r = parsed->report;
  Refusal refusal;
  refusal.agent_key = hex_encode(r.agent_key);
  refusal.start_ms = r.start_ms;
  refusal.end_ms = r.end_ms;
  refusal.received_ms = now_ms;

  if (const auto wait = limiter_.take(refusal.agent_key); wait.count() > 0) {
    metrics_.count_report("rate_limited");
    const auto seconds = (wait.count() + 999) / 1000;
    return {429, dump({{"status", "rate_limited"},
                       {"reasons", {"too many reports from this agent key"}},
                       {"retry_after_seconds", seconds}})};
  }
  const std::string& body = parsed->body_text;
  const Hash256 digest =
      kernels::sha256(std::span(reinterpret_cast<const std::uint8_t*>(body.data()), body.size()));
  const std::string report_id = hex_encode(digest);
  refusal.digest = digest;
  if (store_.contains(digest)) {
    metrics_.count_report("duplicate");
    return {200, dump({{"status", "duplicate"}, {"report_id", report_id}})};
  }
  if (!std::all_of(r.workers.begin(), r.workers.end(), sane_worker_id))
    return refuse(422, "invalid", {"worker_id_invalid"}, std::move(refusal));
  refusal.workers = r.workers;

  const Authorization auth = authority_.authorize(refusal.agent_key, r.workers);
  if (!auth.allowed) return refuse(403, "forbidden", auth.reasons, std::move(refusal));

  std::vector<std::string> reasons;
  const auto retention_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(store_.options().retention).count();
  const auto skew_ms =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.max_clock_skew).count();
  // A window reaching back past the retention could re-claim shares already purged.
  if (r.start_ms < now_ms - retention_ms) reasons.push_back("window_too_old");
  if (r.end_ms > now_ms + skew_ms) reasons.push_back("window_in_future");
  proof::SeenShares shares;  // this report's; the store holds everyone else's
  const auto started = std::chrono::steady_clock::now();
  const proof::ReportVerdict verdict = proof::verify_report(file, options_.verify, shares);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  metrics_.count_proofs(verdict.proofs, 0, seconds);
  reasons.insert(reasons.end(), verdict.reasons.begin(), verdict.reasons.end());
  if (!reasons.empty()) return refuse(422, "invalid", std::move(reasons), std::move(refusal));

  AcceptedReport accepted;
  accepted.digest = digest;
  accepted.agent_key = refusal.agent_key;
  accepted.start_ms = r.start_ms;
  accepted.end_ms = r.end_ms;
  accepted.received_ms = now_ms;
  accepted.bound = auth.bound;
  for (const auto& [id, f] : verdict.workers)
    accepted.workers.push_back({id, f.shares, f.difficulty_sum});
  accepted.shares.assign(shares.begin(), shares.end());
  accepted.file.assign(file);
  const StoreResult stored = store_.store(accepted);
  if (stored.outcome == StoreOutcome::duplicate) {
    metrics_.count_report("duplicate");
    return {200, dump({{"status", "duplicate"}, {"report_id", report_id}})};
  }
  if (stored.outcome == StoreOutcome::conflict) {
    metrics_.count_conflicts(stored.conflicting_shares);
    for (const Conflict& c : stored.conflicts)
      spdlog::warn("collect: share {} of report {} was claimed first by report {} (key {})",
                   hex_encode(c.share), report_id, c.first_report, c.first_agent_key);
    return refuse(
        409, "conflict",
        {"share_already_claimed: " + std::to_string(stored.conflicting_shares) + " proof(s)"},
        std::move(refusal));
  }
  metrics_.count_report("stored");
  metrics_.count_proofs(0, verdict.valid_proofs, 0);
  spdlog::info("collect: stored report {} from key {}: {} proof(s), {} worker(s), {} to {}{}",
               report_id, refusal.agent_key, verdict.valid_proofs, accepted.workers.size(),
               proof::format_iso8601(r.start_ms), proof::format_iso8601(r.end_ms),
               auth.bound ? "" : " (unbound)");
  json workers = json::array();
  for (const WorkerFigures& w : accepted.workers) workers.push_back(w.worker_id);
  return {201, dump({{"status", "stored"},
                     {"report_id", report_id},
                     {"proofs", verdict.valid_proofs},
                     {"workers", std::move(workers)},
                     {"bound", auth.bound}})};
}

}  // namespace ih::collect
