// The read side of CollectStore: the workers API's pro rata sums and the listings.
#include "collect/collect_store.hpp"
#include "collect/store_impl.hpp"
#include "ih/hex_encode.hpp"

namespace ih::collect {

namespace {

std::int64_t as_int(std::size_t v) {
  return static_cast<std::int64_t>(std::min<std::size_t>(v, INT64_MAX));
}

}  // namespace

std::vector<WorkerRate> CollectStore::workers(const std::string& pattern,
                                              const Interval& interval) const {
  // Each window contributes the share of its difficulty that falls inside [from, to): a report
  // proves work spread over its window, not at any instant of it.
  std::lock_guard lock(impl_->mutex);
  Statement q = impl_->db.prepare(
      "SELECT w.worker_id, "
      "SUM(w.difficulty_sum * (MIN(r.end_ms, ?2) - MAX(r.start_ms, ?1)) / "
      "CAST(r.end_ms - r.start_ms AS REAL)), MIN(r.bound) "
      "FROM reports r JOIN report_workers w ON w.report_id = r.id "
      "WHERE r.end_ms > ?1 AND r.start_ms < ?2 AND w.worker_id GLOB ?3 "
      "GROUP BY w.worker_id ORDER BY w.worker_id LIMIT ?4 OFFSET ?5");
  q.bind(1, interval.from_ms)
      .bind(2, interval.to_ms)
      .bind(3, pattern)
      .bind(4, as_int(interval.limit))
      .bind(5, as_int(interval.offset));
  std::vector<WorkerRate> out;
  while (q.step()) out.push_back({q.text(0), q.real(1), q.integer(2) != 0});
  return out;
}

std::vector<ReportEntry> CollectStore::reports(const Interval& interval) const {
  std::lock_guard lock(impl_->mutex);
  Statement q = impl_->db.prepare(
      "SELECT * FROM ("
      " SELECT r.digest, r.agent_key, 'valid', 201, r.start_ms, r.end_ms, r.received_ms,"
      "  r.proofs, r.bound, (SELECT group_concat(worker_id, char(10)) FROM report_workers"
      "  WHERE report_id = r.id), '' FROM reports r WHERE r.end_ms > ?1 AND r.start_ms < ?2"
      " UNION ALL"
      " SELECT f.digest, f.agent_key, f.verdict, f.status, f.start_ms, f.end_ms, f.received_ms,"
      "  0, 0, f.workers, f.reasons FROM refusals f WHERE f.end_ms > ?1 AND f.start_ms < ?2)"
      " ORDER BY 7 DESC, 1 LIMIT ?3 OFFSET ?4");
  q.bind(1, interval.from_ms)
      .bind(2, interval.to_ms)
      .bind(3, as_int(interval.limit))
      .bind(4, as_int(interval.offset));
  std::vector<ReportEntry> out;
  while (q.step()) {
    ReportEntry e;
    if (!q.is_null(0)) e.report_id = hex_encode(q.blob(0));
    e.agent_key = q.text(1);
    e.verdict = q.text(2);
    e.status = static_cast<int>(q.integer(3));
    e.start_ms = q.integer(4);
    e.end_ms = q.integer(5);
    e.received_ms = q.integer(6);
    e.proofs = static_cast<std::uint64_t>(q.integer(7));
    e.bound = q.integer(8) != 0;
    e.workers = split_lines(q.text(9));
    e.reasons = split_lines(q.text(10));
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<Conflict> CollectStore::conflicts(const Interval& interval) const {
  std::lock_guard lock(impl_->mutex);
  Statement q = impl_->db.prepare(
      "SELECT share, first_report, first_agent_key, claimed_by_report, claimed_by_key, "
      "claimed_by_workers, detected_ms FROM conflicts WHERE detected_ms >= ?1 AND "
      "detected_ms < ?2 ORDER BY detected_ms DESC, id DESC LIMIT ?3 OFFSET ?4");
  q.bind(1, interval.from_ms)
      .bind(2, interval.to_ms)
      .bind(3, as_int(interval.limit))
      .bind(4, as_int(interval.offset));
  std::vector<Conflict> out;
  while (q.step()) {
    Conflict c;
    const auto share = q.blob(0);
    if (share.size() == c.share.size()) std::copy(share.begin(), share.end(), c.share.begin());
    c.first_report = q.text(1);
    c.first_agent_key = q.text(2);
    c.claimed_by_report = q.text(3);
    c.claimed_by_key = q.text(4);
    c.claimed_by_workers = split_lines(q.text(5));
    c.detected_ms = q.integer(6);
    out.push_back(std::move(c));
  }
  return out;
}

StoreStats CollectStore::stats() const {
  std::lock_guard lock(impl_->mutex);
  auto one = [&](const char* sql) {
    Statement q = impl_->db.prepare(sql);
    return q.step() ? static_cast<std::uint64_t>(q.integer(0)) : 0;
  };
  StoreStats s;
  s.reports = one("SELECT COUNT(*) FROM reports");
  s.proofs = one("SELECT COALESCE(SUM(proofs), 0) FROM reports");
  s.refusals = one("SELECT COUNT(*) FROM refusals");
  s.conflicts = one("SELECT COUNT(*) FROM conflicts");
  s.bytes = one("SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()");
  return s;
}

}  // namespace ih::collect
