// Writes one signed report per window (DESIGN §6): windows are aligned to multiples of their
// length since the epoch (the first starts when the reporter does), files go to
// <data-dir>/reports/ atomically, and each finished one is handed on (to the pusher).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include "ih/result.hpp"
#include "proof/proof_store.hpp"
#include "proof/signer.hpp"

namespace ih::proof {

struct WindowReporterOptions {
  std::filesystem::path reports_dir;
  std::chrono::milliseconds window{std::chrono::seconds(720)};
  double proof_difficulty = 0;
  std::string software;
  std::function<void(const std::filesystem::path&)> on_report;  // after the file is in place
};

// report-<start ms>-<end ms>.json, both 15 digits, so names sort by time.
std::string report_file_name(std::int64_t start_ms, std::int64_t end_ms);
// The window a report file covers, from its name.
std::optional<std::pair<std::int64_t, std::int64_t>> report_file_window(const std::string& name);

// Writes `text` to `path` through a temporary file, fsync, rename and a sync of the directory.
std::optional<std::string> write_file_atomically(const std::filesystem::path& path,
                                                 const std::string& text);
// Removes the temporary files of writes a crash interrupted (write_file_atomically's *.tmp).
void remove_interrupted_writes(const std::filesystem::path& dir);

class WindowReporter {
 public:
  WindowReporter(const ProofStore& store, const Signer& signer, WindowReporterOptions options);
  ~WindowReporter();  // stop()
  WindowReporter(const WindowReporter&) = delete;
  WindowReporter& operator=(const WindowReporter&) = delete;

  void start();
  // Writes the partial window up to now, then stops.
  void stop();
  // The report of [start_ms, end_ms): its path.
  Result<std::filesystem::path> write_window(std::int64_t start_ms, std::int64_t end_ms);

 private:
  void loop();

  const ProofStore& store_;
  const Signer& signer_;
  WindowReporterOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::int64_t window_start_ = 0;
  std::thread thread_;
};

}  // namespace ih::proof
