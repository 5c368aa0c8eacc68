// The collector's durable store (docs/collect.md): one SQLite database in WAL mode holding every
// accepted report (its file, its per-worker figures and the header hash of each of its shares),
// the refusals and the cross-report conflicts. SQLite because the workers API is a range query
// with GROUP BY, the share index needs a unique key with an atomic check-and-insert, and a
// crash must never leave half a report: all of that is one transaction here. Thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ih/kernels/sha256.hpp"
#include "ih/result.hpp"

namespace ih::collect {

struct StoreOptions {
  std::filesystem::path path;                     // <data-dir>/collect.sqlite
  std::chrono::seconds retention{2 * 24 * 3600};  // reports, refusals, conflicts older go
  std::size_t max_refusals = 100'000;             // oldest refusals go first beyond this
  std::size_t max_conflicts_per_report = 100;     // rows kept per refused report
};

struct WorkerFigures {
  std::string worker_id;
  std::uint64_t shares = 0;
  double difficulty_sum = 0;  // credited difficulty of the valid proofs
};

struct AcceptedReport {
  Hash256 digest{};       // sha256 of the canonical body: the report's identity
  std::string agent_key;  // hex
  std::int64_t start_ms = 0, end_ms = 0, received_ms = 0;
  bool bound = false;  // every worker's hotkey had this agent key registered
  std::vector<WorkerFigures> workers;
  std::vector<Hash256> shares;  // header hashes
  std::string file;             // the report file as received
};

struct Conflict {
  Hash256 share{};
  std::string first_report, first_agent_key;      // who claimed it first (hex)
  std::string claimed_by_report, claimed_by_key;  // the refused report
  std::vector<std::string> claimed_by_workers;
  std::int64_t detected_ms = 0;
};

enum class StoreOutcome { stored, duplicate, conflict };

struct StoreResult {
  StoreOutcome outcome = StoreOutcome::stored;
  std::uint64_t conflicting_shares = 0;
  std::vector<Conflict> conflicts;  // the first max_conflicts_per_report of them
};

struct Refusal {
  std::optional<Hash256> digest;
  std::string agent_key;
  int status = 0;       // the HTTP status it got
  std::string verdict;  // "invalid", "forbidden", "conflict"
  std::vector<std::string> reasons, workers;
  std::int64_t start_ms = 0, end_ms = 0, received_ms = 0;
};

struct Interval {
  std::int64_t from_ms = 0, to_ms = 0;  // [from, to)
  std::size_t limit = 100, offset = 0;
};

struct WorkerRate {
  std::string worker_id;
  double difficulty = 0;  // credited difficulty, pro rata of each window inside the interval
  bool bound = false;
};

struct ReportEntry {
  std::string report_id, agent_key, verdict;
  int status = 0;
  std::int64_t start_ms = 0, end_ms = 0, received_ms = 0;
  std::uint64_t proofs = 0;
  bool bound = false;
  std::vector<std::string> workers, reasons;
};

struct StoreStats {
  std::uint64_t reports = 0, proofs = 0, refusals = 0, conflicts = 0, bytes = 0;
};

class CollectStore {
 public:
  static Result<std::unique_ptr<CollectStore>> open(StoreOptions options);
  ~CollectStore();
  CollectStore(const CollectStore&) = delete;
  CollectStore& operator=(const CollectStore&) = delete;

  bool contains(const Hash256& digest) const;
  // Atomically: a digest already stored is a duplicate; a share any stored report holds makes a
  // conflict (recorded, nothing else stored); otherwise the report is stored.
  StoreResult store(const AcceptedReport& report);
  void record_refusal(const Refusal& refusal);

  // Workers matching the glob `pattern` whose windows overlap the interval, by worker id.
  std::vector<WorkerRate> workers(const std::string& pattern, const Interval& interval) const;
  // Accepted and refused reports whose windows overlap the interval, newest first.
  std::vector<ReportEntry> reports(const Interval& interval) const;
  // Conflicts detected in the interval, newest first.
  std::vector<Conflict> conflicts(const Interval& interval) const;

  // Deletes what is older than the retention; returns the reports deleted.
  std::uint64_t purge(std::int64_t now_ms);
  StoreStats stats() const;
  bool healthy() const;  // the database answers
  const StoreOptions& options() const;

  struct Impl;

 private:
  explicit CollectStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::collect
