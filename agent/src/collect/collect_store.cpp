#include "collect/collect_store.hpp"

#include "collect/store_impl.hpp"
#include "ih/hex_encode.hpp"

namespace ih::collect {

namespace {

// Shares point at their report; report_workers and shares go with their report on purge.
constexpr const char* kSchema = R"sql(
CREATE TABLE IF NOT EXISTS reports(
  id INTEGER PRIMARY KEY,
  digest BLOB NOT NULL UNIQUE,
  agent_key TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL,
  proofs INTEGER NOT NULL,
  bound INTEGER NOT NULL,
  file BLOB NOT NULL);
CREATE INDEX IF NOT EXISTS reports_by_end ON reports(end_ms);
CREATE INDEX IF NOT EXISTS reports_by_received ON reports(received_ms);
CREATE TABLE IF NOT EXISTS report_workers(
  report_id INTEGER NOT NULL,
  worker_id TEXT NOT NULL,
  shares INTEGER NOT NULL,
  difficulty_sum REAL NOT NULL,
  PRIMARY KEY(report_id, worker_id)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS shares(
  hash BLOB PRIMARY KEY,
  report_id INTEGER NOT NULL) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS shares_by_report ON shares(report_id);
CREATE TABLE IF NOT EXISTS refusals(
  id INTEGER PRIMARY KEY,
  digest BLOB,
  agent_key TEXT NOT NULL,
  status INTEGER NOT NULL,
  verdict TEXT NOT NULL,
  reasons TEXT NOT NULL,
  workers TEXT NOT NULL,
  start_ms INTEGER NOT NULL,
  end_ms INTEGER NOT NULL,
  received_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS refusals_by_received ON refusals(received_ms);
CREATE TABLE IF NOT EXISTS conflicts(
  id INTEGER PRIMARY KEY,
  share BLOB NOT NULL,
  first_report TEXT NOT NULL,
  first_agent_key TEXT NOT NULL,
  claimed_by_report TEXT NOT NULL,
  claimed_by_key TEXT NOT NULL,
  claimed_by_workers TEXT NOT NULL,
  detected_ms INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS conflicts_by_time ON conflicts(detected_ms);
)sql";

std::span<const std::uint8_t> bytes(const Hash256& h) {
  return {h.data(), h.size()};
}

// The stored reports that already hold any of `shares`, as conflicts (at most `keep`).
StoreResult find_conflicts(Database& db, const AcceptedReport& report, std::size_t keep) {
  StoreResult result;
  Statement find = db.prepare(
      "SELECT r.digest, r.agent_key FROM shares s JOIN reports r ON r.id = s.report_id "
      "WHERE s.hash = ?1");
  for (const Hash256& share : report.shares) {
    find.bind_blob(1, bytes(share));
    if (find.step()) {
      ++result.conflicting_shares;
      if (result.conflicts.size() < keep) {
        Conflict c;
        c.share = share;
        c.first_report = hex_encode(find.blob(0));
        c.first_agent_key = find.text(1);
        c.claimed_by_report = hex_encode(report.digest);
        c.claimed_by_key = report.agent_key;
        for (const WorkerFigures& w : report.workers) c.claimed_by_workers.push_back(w.worker_id);
        c.detected_ms = report.received_ms;
        result.conflicts.push_back(std::move(c));
      }
    }
    find.reset();
  }
  if (result.conflicting_shares > 0) result.outcome = StoreOutcome::conflict;
  return result;
}

void insert_conflicts(Database& db, const std::vector<Conflict>& conflicts) {
  Statement add = db.prepare(
      "INSERT INTO conflicts(share, first_report, first_agent_key, claimed_by_report, "
      "claimed_by_key, claimed_by_workers, detected_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7)");
  for (const Conflict& c : conflicts) {
    add.bind_blob(1, bytes(c.share))
        .bind(2, c.first_report)
        .bind(3, c.first_agent_key)
        .bind(4, c.claimed_by_report)
        .bind(5, c.claimed_by_key)
        .bind(6, join_lines(c.claimed_by_workers))
        .bind(7, c.detected_ms);
    add.step();
    add.reset();
  }
}

void insert_report(Database& db, const AcceptedReport& r) {
  Statement add = db.prepare(
      "INSERT INTO reports(digest, agent_key, start_ms, end_ms, received_ms, proofs, bound, file) "
      "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id");
  add.bind_blob(1, bytes(r.digest))
      .bind(2, r.agent_key)
      .bind(3, r.start_ms)
      .bind(4, r.end_ms)
      .bind(5, r.received_ms)
      .bind(6, static_cast<std::int64_t>(r.shares.size()))
      .bind(7, std::int64_t{r.bound ? 1 : 0})
      .bind_blob(8, {reinterpret_cast<const std::uint8_t*>(r.file.data()), r.file.size()});
  if (!add.step()) throw SqliteError("insert returned no id");
  const std::int64_t id = add.integer(0);
  while (add.step()) {
  }
  Statement worker = db.prepare(
      "INSERT INTO report_workers(report_id, worker_id, shares, difficulty_sum) "
      "VALUES(?1, ?2, ?3, ?4)");
  for (const WorkerFigures& w : r.workers) {
    worker.bind(1, id)
        .bind(2, w.worker_id)
        .bind(3, static_cast<std::int64_t>(w.shares))
        .bind(4, w.difficulty_sum);
    worker.step();
    worker.reset();
  }
  Statement share = db.prepare("INSERT INTO shares(hash, report_id) VALUES(?1, ?2)");
  for (const Hash256& h : r.shares) {
    share.bind_blob(1, bytes(h)).bind(2, id);
    share.step();
    share.reset();
  }
}

}  // namespace

std::string join_lines(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += '\n';
    out += item;
  }
  return out;
}

std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = std::min(text.find('\n', start), text.size());
    out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

CollectStore::CollectStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CollectStore::~CollectStore() = default;

Result<std::unique_ptr<CollectStore>> CollectStore::open(StoreOptions options) {
  std::error_code ec;
  std::filesystem::create_directories(options.path.parent_path(), ec);
  auto db = Database::open(options.path.string());
  if (!db) return db.error();
  try {
    // WAL: readers never block the writer; FULL: a report answered 201 survives power loss.
    db->exec("PRAGMA journal_mode=WAL");
    db->exec("PRAGMA synchronous=FULL");
    db->exec(kSchema);
  } catch (const SqliteError& e) {
    return make_error("cannot set up the database '" + options.path.string() + "': " + e.what());
  }
  auto impl = std::unique_ptr<Impl>(new Impl{std::move(options), std::move(*db), {}});
  return std::unique_ptr<CollectStore>(new CollectStore(std::move(impl)));
}

const StoreOptions& CollectStore::options() const {
  return impl_->options;
}

bool CollectStore::contains(const Hash256& digest) const {
  std::lock_guard lock(impl_->mutex);
  Statement find = impl_->db.prepare("SELECT 1 FROM reports WHERE digest = ?1");
  find.bind_blob(1, bytes(digest));
  return find.step();
}

StoreResult CollectStore::store(const AcceptedReport& report) {
  std::lock_guard lock(impl_->mutex);
  Database& db = impl_->db;
  Transaction tx(db);
  Statement known = db.prepare("SELECT 1 FROM reports WHERE digest = ?1");
  known.bind_blob(1, bytes(report.digest));
  if (known.step()) return {StoreOutcome::duplicate, 0, {}};
  StoreResult result = find_conflicts(db, report, impl_->options.max_conflicts_per_report);
  if (result.outcome == StoreOutcome::conflict)
    insert_conflicts(db, result.conflicts);
  else
    insert_report(db, report);
  tx.commit();
  return result;
}

void CollectStore::record_refusal(const Refusal& r) {
  std::lock_guard lock(impl_->mutex);
  Database& db = impl_->db;
  Transaction tx(db);
  Statement add = db.prepare(
      "INSERT INTO refusals(digest, agent_key, status, verdict, reasons, workers, start_ms, "
      "end_ms, received_ms) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)");
  if (r.digest) add.bind_blob(1, bytes(*r.digest));
  add.bind(2, r.agent_key)
      .bind(3, std::int64_t{r.status})
      .bind(4, r.verdict)
      .bind(5, join_lines(r.reasons))
      .bind(6, join_lines(r.workers))
      .bind(7, r.start_ms)
      .bind(8, r.end_ms)
      .bind(9, r.received_ms);
  add.step();
  // Bounded: a flood of refusals pushes out the oldest, never fills the disk.
  Statement trim =
      db.prepare("DELETE FROM refusals WHERE id <= (SELECT MAX(id) FROM refusals) - ?1");
  trim.bind(1, static_cast<std::int64_t>(impl_->options.max_refusals));
  trim.step();
  tx.commit();
}

std::uint64_t CollectStore::purge(std::int64_t now_ms) {
  const std::int64_t horizon =
      now_ms -
      std::chrono::duration_cast<std::chrono::milliseconds>(impl_->options.retention).count();
  std::lock_guard lock(impl_->mutex);
  Database& db = impl_->db;
  Transaction tx(db);
  auto run = [&](const char* sql) {
    Statement s = db.prepare(sql);
    s.bind(1, horizon);
    s.step();
    return static_cast<std::uint64_t>(db.changes());
  };
  run("DELETE FROM shares WHERE report_id IN (SELECT id FROM reports WHERE received_ms < ?1)");
  run("DELETE FROM report_workers WHERE report_id IN "
      "(SELECT id FROM reports WHERE received_ms < ?1)");
  const std::uint64_t reports = run("DELETE FROM reports WHERE received_ms < ?1");
  run("DELETE FROM refusals WHERE received_ms < ?1");
  run("DELETE FROM conflicts WHERE detected_ms < ?1");
  tx.commit();
  return reports;
}

bool CollectStore::healthy() const {
  std::lock_guard lock(impl_->mutex);
  try {
    Statement s = impl_->db.prepare("SELECT 1");
    return s.step();
  } catch (const SqliteError&) {
    return false;
  }
}

}  // namespace ih::collect
