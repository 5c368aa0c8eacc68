#include "proof/window_reporter.hpp"

#include <fcntl.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "proof/report.hpp"
#include "proof/utc_time.hpp"

namespace ih::proof {

namespace fs = std::filesystem;

namespace {

// A window is written this long after it ends, so shares found just before the end have
// their verdicts.
constexpr std::int64_t kSettleMs = 3000;

}  // namespace

std::string report_file_name(std::int64_t start_ms, std::int64_t end_ms) {
  char name[64];
  std::snprintf(name, sizeof name, "report-%015lld-%015lld.json", static_cast<long long>(start_ms),
                static_cast<long long>(end_ms));
  return name;
}

std::optional<std::pair<std::int64_t, std::int64_t>> report_file_window(const std::string& name) {
  long long start = 0, end = 0;
  char tail[8] = {};
  if (name.size() != 7 + 15 + 1 + 15 + 5 ||
      std::sscanf(name.c_str(), "report-%15lld-%15lld%6s", &start, &end, tail) != 3 ||
      std::strcmp(tail, ".json") != 0 || report_file_name(start, end) != name)
    return std::nullopt;
  return std::pair<std::int64_t, std::int64_t>{start, end};
}

std::optional<std::string> write_file_atomically(const fs::path& path, const std::string& text) {
  const fs::path tmp = path.string() + ".tmp";
  const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return "cannot create " + tmp.string() + ": " + std::strerror(errno);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    done += static_cast<std::size_t>(n);
  }
  const bool ok = done == text.size() && ::fsync(fd) == 0;
  ::close(fd);
  std::error_code ec;
  if (ok) fs::rename(tmp, path, ec);
  if (!ok || ec) {
    fs::remove(tmp, ec);
    return "cannot write " + path.string();
  }
  // The rename itself survives a power cut only once the directory is synced.
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  if (const int dir_fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC); dir_fd >= 0) {
    ::fsync(dir_fd);
    ::close(dir_fd);
  }
  return std::nullopt;
}

void remove_interrupted_writes(const fs::path& dir) {
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.path().extension() == ".tmp") {
      spdlog::info("removing {}, a write a crash interrupted", e.path().filename().string());
      fs::remove(e.path(), ec);
    }
}

WindowReporter::WindowReporter(const ProofStore& store, const Signer& signer,
                               WindowReporterOptions options)
    : store_(store), signer_(signer), options_(std::move(options)) {}

WindowReporter::~WindowReporter() {
  stop();
}

void WindowReporter::start() {
  std::error_code ec;
  fs::create_directories(options_.reports_dir, ec);
  remove_interrupted_writes(options_.reports_dir);
  remove_interrupted_writes(options_.reports_dir / "delivered");  // ReportPusher's markers
  remove_interrupted_writes(options_.reports_dir / "refused");
  window_start_ = utc_now_ms();
  thread_ = std::thread([this] { loop(); });
}

void WindowReporter::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

Result<fs::path> WindowReporter::write_window(std::int64_t start_ms, std::int64_t end_ms) {
  std::vector<std::string> warnings;
  const ProofSet proofs = store_.query(start_ms, end_ms, &warnings);
  for (const auto& w : warnings) spdlog::warn("proof log: {}", w);
  const WindowReport report =
      build_report(proofs, start_ms, end_ms, options_.proof_difficulty, options_.software, signer_);
  const fs::path path = options_.reports_dir / report_file_name(start_ms, end_ms);
  if (auto error = write_file_atomically(path, signed_report_file(report, signer_)))
    return make_error(*error);
  spdlog::info("report {}: {} proof(s), {:.4g} H/s [{:.4g}, {:.4g}]", path.filename().string(),
               report.proofs.shares.size(), report.estimate.hashrate, report.estimate.low,
               report.estimate.high);
  if (options_.on_report) options_.on_report(path);
  return path;
}

void WindowReporter::loop() {
  const std::int64_t window = options_.window.count();
  auto emit = [this](std::int64_t start, std::int64_t end) {
    if (end <= start) return;
    if (auto written = write_window(start, end); !written)
      spdlog::error("window report: {}", written.error().message);
  };
  std::unique_lock lock(mutex_);
  for (;;) {
    const std::int64_t end = (window_start_ / window + 1) * window;
    const auto wait =
        std::chrono::milliseconds(std::max<std::int64_t>(0, end + kSettleMs - utc_now_ms()));
    const bool stopped = wake_.wait_for(lock, wait, [&] { return stopping_; });
    const std::int64_t now = utc_now_ms();
    const std::int64_t close = stopped ? std::min(end, now) : end;
    lock.unlock();
    emit(window_start_, close);
    if (stopped) emit(close, now);  // stopped while the last window settled
    lock.lock();
    window_start_ = close;
    if (stopped) return;
  }
}

}  // namespace ih::proof
