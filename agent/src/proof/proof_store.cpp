#include "proof/proof_store.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "proof/log_file.hpp"
#include "proof/record_codec.hpp"
#include "proof/utc_time.hpp"

namespace ih::proof {

namespace fs = std::filesystem;

namespace {

constexpr std::int64_t kClockSlackMs = 60'000;  // a share is appended a little after it was found

// proofs-<start ms, 15 digits>.log, so names sort by time.
std::optional<std::int64_t> file_start(const fs::path& p) {
  const std::string name = p.filename().string();
  if (name.size() != 7 + 15 + 4 || name.rfind("proofs-", 0) != 0 || p.extension() != ".log")
    return std::nullopt;
  std::int64_t v = 0;
  for (std::size_t i = 7; i < 7 + 15; ++i) {
    if (name[i] < '0' || name[i] > '9') return std::nullopt;
    v = v * 10 + (name[i] - '0');
  }
  return v;
}

std::vector<fs::path> log_files(const fs::path& dir) {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec))
    if (entry.is_regular_file() && file_start(entry.path())) files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  return files;
}

// Jobs are told apart by their whole record (the key left 0).
std::string job_identity(const ProofJob& job) {
  const Bytes b = encode_job_record(0, job);
  return std::string(b.begin(), b.end());
}

struct Collector {
  ProofSet set;
  std::map<std::string, std::size_t> job_index;  // encoded job -> index in set.jobs

  void add_file(const LogFileContents& contents, std::int64_t from_ms, std::int64_t to_ms,
                std::vector<std::string>* warnings) {
    std::map<std::uint32_t, std::optional<std::size_t>> jobs;  // key -> set index, once used
    std::map<std::uint32_t, ProofJob> defined;
    for (const Bytes& payload : contents.payloads) {
      const auto type = record_type(payload);
      if (type == RecordType::job) {
        if (auto job = decode_job_record(payload)) defined[job->first] = std::move(job->second);
      } else if (type == RecordType::share) {
        auto rec = decode_share_record(payload);
        if (!rec) continue;
        if (rec->share.time_ms < from_ms || rec->share.time_ms >= to_ms) continue;
        auto def = defined.find(rec->job_key);
        if (def == defined.end()) {
          if (warnings) warnings->push_back("a share names a job that is missing; skipped");
          continue;
        }
        rec->share.job = intern(def->second);
        set.shares.push_back(std::move(rec->share));
      } else if (warnings) {
        warnings->push_back("a record of unknown type; skipped");
      }
    }
  }

  std::size_t intern(const ProofJob& job) {
    auto [it, added] = job_index.emplace(job_identity(job), set.jobs.size());
    if (added) set.jobs.push_back(job);
    return it->second;
  }
};

ProofSet read_files(const std::vector<fs::path>& files, const fs::path& active,
                    std::uint64_t active_bytes, std::int64_t from_ms, std::int64_t to_ms,
                    std::vector<std::string>* warnings) {
  Collector c;
  for (std::size_t i = 0; i < files.size(); ++i) {
    // A file holds only records appended before the next one was created; records may be
    // older than the file itself (a share's time is when it was found), so no cut on the start.
    if (i + 1 < files.size() && *file_start(files[i + 1]) + kClockSlackMs < from_ms) continue;
    const std::uint64_t limit =
        files[i] == active ? active_bytes : std::numeric_limits<std::uint64_t>::max();
    const LogFileContents contents = read_log_file(files[i], limit);
    if (warnings)
      warnings->insert(warnings->end(), contents.warnings.begin(), contents.warnings.end());
    c.add_file(contents, from_ms, to_ms, warnings);
  }
  std::stable_sort(c.set.shares.begin(), c.set.shares.end(),
                   [](const ShareProof& a, const ShareProof& b) { return a.time_ms < b.time_ms; });
  return std::move(c.set);
}

}  // namespace

ProofSet read_proofs(const fs::path& dir, std::int64_t from_ms, std::int64_t to_ms,
                     std::vector<std::string>* warnings) {
  return read_files(log_files(dir), {}, 0, from_ms, to_ms, warnings);
}

ProofStore::ProofStore(ProofStoreOptions options) : options_(std::move(options)) {}

Result<std::unique_ptr<ProofStore>> ProofStore::open(ProofStoreOptions options) {
  std::error_code ec;
  fs::create_directories(options.dir, ec);
  if (ec) return make_error("cannot create " + options.dir.string() + ": " + ec.message());
  std::unique_ptr<ProofStore> store(new ProofStore(std::move(options)));
  {
    std::lock_guard lock(store->mutex_);
    store->apply_retention_locked();
    if (auto error = store->open_new_file_locked()) return make_error(*error);
  }
  store->syncer_ = std::thread([s = store.get()] { s->sync_loop(); });
  return store;
}

ProofStore::~ProofStore() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (syncer_.joinable()) syncer_.join();
  std::lock_guard lock(mutex_);
  sync_locked();
  if (fd_ >= 0) ::close(fd_);
}

std::optional<std::string> ProofStore::open_new_file_locked() {
  if (fd_ >= 0) {
    sync_locked();
    ::close(fd_);
    fd_ = -1;
  }
  std::int64_t start = utc_now_ms();
  fs::path path;
  for (;; ++start) {  // a new name even when two files start in the same millisecond
    char name[32];
    std::snprintf(name, sizeof name, "proofs-%015lld.log", static_cast<long long>(start));
    path = options_.dir / name;
    fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
    if (fd_ >= 0) break;
    if (errno != EEXIST) return "cannot create " + path.string() + ": " + std::strerror(errno);
  }
  current_ = path;
  current_bytes_ = 0;
  current_opened_ = std::chrono::steady_clock::now();
  job_keys_.clear();
  const Bytes magic(std::begin(kLogMagic), std::end(kLogMagic));
  return write_locked(magic);
}

std::optional<std::string> ProofStore::write_locked(const Bytes& framed) {
  std::size_t done = 0;
  while (done < framed.size()) {
    const ssize_t n = ::write(fd_, framed.data() + done, framed.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "cannot write " + current_.string() + ": " + std::strerror(errno);
    done += static_cast<std::size_t>(n);
  }
  current_bytes_ += framed.size();
  dirty_ = true;
  return std::nullopt;
}

std::optional<std::string> ProofStore::append(const ProofJob& job, const ShareProof& share) {
  std::lock_guard lock(mutex_);
  if (fd_ < 0) return "the proof log is closed";
  if (current_bytes_ >= options_.max_file_bytes ||
      std::chrono::steady_clock::now() - current_opened_ >= options_.max_file_age) {
    if (auto error = open_new_file_locked()) return error;
    apply_retention_locked();
  }
  std::string identity = job_identity(job);
  auto it = job_keys_.find(identity);
  if (it == job_keys_.end()) {
    const auto key = static_cast<std::uint32_t>(job_keys_.size());
    const Bytes framed = frame_record(encode_job_record(key, job));
    if (auto error = write_locked(framed)) return error;
    ++stats_.jobs;
    stats_.job_bytes += framed.size();
    it = job_keys_.emplace(std::move(identity), key).first;
  }
  const Bytes framed = frame_record(encode_share_record(it->second, share));
  if (auto error = write_locked(framed)) return error;
  ++stats_.shares;
  stats_.share_bytes += framed.size();
  return std::nullopt;
}

ProofSet ProofStore::query(std::int64_t from_ms, std::int64_t to_ms,
                           std::vector<std::string>* warnings) const {
  fs::path active;
  std::uint64_t active_bytes = 0;
  {
    std::lock_guard lock(mutex_);
    active = current_;
    active_bytes = current_bytes_;
  }
  return read_files(log_files(options_.dir), active, active_bytes, from_ms, to_ms, warnings);
}

void ProofStore::sync() {
  std::lock_guard lock(mutex_);
  sync_locked();
}

void ProofStore::sync_locked() {
  if (fd_ >= 0 && dirty_) ::fdatasync(fd_);
  dirty_ = false;
}

ProofStoreStats ProofStore::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

void ProofStore::apply_retention_locked() {
  const auto files = log_files(options_.dir);
  const std::int64_t cutoff =
      utc_now_ms() -
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.retention).count();
  std::uint64_t total = 0;
  std::vector<std::uint64_t> sizes;
  std::error_code ec;
  for (const auto& f : files) {
    sizes.push_back(fs::file_size(f, ec));
    total += sizes.back();
  }
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (files[i] == current_) continue;
    // A file's records are older than the next file's start.
    const bool expired = i + 1 < files.size() && *file_start(files[i + 1]) < cutoff;
    if (!expired && total <= options_.max_total_bytes) continue;
    fs::remove(files[i], ec);
    total -= sizes[i];
  }
}

void ProofStore::sync_loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    wake_.wait_for(lock, options_.sync_every);
    sync_locked();
  }
}

}  // namespace ih::proof
