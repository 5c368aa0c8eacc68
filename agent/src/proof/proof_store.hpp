// The durable, append-only proof log (DESIGN §6, docs/proof-log.md): files under one folder,
// each starting a new job table, synced at least once a second, rotated by size and age,
// deleted by age and total size. Appends come from the pool's I/O thread; queries from the
// status server, the window reporter, the proxy and the collector.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "ih/result.hpp"
#include "proof/share_proof.hpp"

namespace ih::proof {

struct ProofStoreOptions {
  std::filesystem::path dir;  // the proof log folder (<data-dir>/proofs)
  std::uint64_t max_file_bytes = 64ull << 20;
  std::chrono::seconds max_file_age{3600};
  std::chrono::seconds retention{7 * 24 * 3600};  // files older than this are deleted
  std::uint64_t max_total_bytes = 1ull << 30;     // oldest files go first beyond this
  std::chrono::milliseconds sync_every{1000};
};

struct ProofStoreStats {
  std::uint64_t shares = 0;
  std::uint64_t jobs = 0;
  std::uint64_t share_bytes = 0;  // framed share records
  std::uint64_t job_bytes = 0;    // framed job records
};

// Shares with from_ms <= time_ms < to_ms from every log file in `dir`, jobs deduplicated.
// Damaged records are skipped and described in `warnings`.
ProofSet read_proofs(const std::filesystem::path& dir, std::int64_t from_ms, std::int64_t to_ms,
                     std::vector<std::string>* warnings = nullptr);

class ProofStore {
 public:
  static Result<std::unique_ptr<ProofStore>> open(ProofStoreOptions options);
  ~ProofStore();  // syncs and closes
  ProofStore(const ProofStore&) = delete;
  ProofStore& operator=(const ProofStore&) = delete;

  // One write() per record: a crash loses at most the record being written. Errors are
  // returned, never thrown (a full disk must not stop mining).
  std::optional<std::string> append(const ProofJob& job, const ShareProof& share);
  ProofSet query(std::int64_t from_ms, std::int64_t to_ms,
                 std::vector<std::string>* warnings = nullptr) const;
  void sync();
  ProofStoreStats stats() const;
  const std::filesystem::path& dir() const { return options_.dir; }

 private:
  explicit ProofStore(ProofStoreOptions options);
  std::optional<std::string> open_new_file_locked();
  std::optional<std::string> write_locked(const Bytes& framed);
  void sync_locked();
  void apply_retention_locked();
  void sync_loop();

  ProofStoreOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  int fd_ = -1;
  std::filesystem::path current_;
  std::uint64_t current_bytes_ = 0;
  std::chrono::steady_clock::time_point current_opened_;
  std::map<std::string, std::uint32_t> job_keys_;  // job record (key 0) -> key in this file
  bool dirty_ = false;
  bool stopping_ = false;
  ProofStoreStats stats_;
  std::thread syncer_;
};

}  // namespace ih::proof
