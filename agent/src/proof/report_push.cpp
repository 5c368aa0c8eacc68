#include "proof/report_push.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ih/hex_encode.hpp"
#include "ih/kernels/sha256.hpp"
#include "ih/log_escape.hpp"
#include "proof/report_post.hpp"
#include "proof/window_reporter.hpp"

namespace ih::proof {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::vector<fs::path> report_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(dir, ec))
    if (e.is_regular_file() && report_file_window(e.path().filename().string()))
      out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

fs::path delivery_marker(const fs::path& reports_dir, const std::string& report_name,
                         const std::string& url) {
  const Hash256 h =
      kernels::sha256({reinterpret_cast<const std::uint8_t*>(url.data()), url.size()});
  return reports_dir / "delivered" /
         (report_name + "." + hex_encode(std::span<const std::uint8_t>(h).first(8)));
}

fs::path refusal_marker(const fs::path& reports_dir, const std::string& report_name,
                        const std::string& url) {
  return reports_dir / "refused" / delivery_marker(reports_dir, report_name, url).filename();
}

ReportPusher::ReportPusher(ReportPushOptions options) : options_(std::move(options)) {}

ReportPusher::~ReportPusher() {
  stop();
}

void ReportPusher::start() {
  if (options_.urls.empty()) return;
  std::error_code ec;
  fs::create_directories(options_.reports_dir / "delivered", ec);
  fs::create_directories(options_.reports_dir / "refused", ec);
  thread_ = std::thread([this] { loop(); });
}

void ReportPusher::stop() {
  {
    std::lock_guard lock(mutex_);
    if (stopping_ || !thread_.joinable()) return;
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void ReportPusher::report_ready() {
  {
    std::lock_guard lock(mutex_);
    ready_ = true;
  }
  wake_.notify_all();
}

std::uint64_t ReportPusher::delivered() const {
  std::lock_guard lock(mutex_);
  return delivered_;
}

std::uint64_t ReportPusher::refused() const {
  std::lock_guard lock(mutex_);
  return refused_;
}

Clock::time_point ReportPusher::deliver_due() {
  Clock::time_point next = Clock::now() + std::chrono::minutes(1);
  for (const fs::path& report : report_files(options_.reports_dir)) {
    const std::string name = report.filename().string();
    std::string body;
    for (const std::string& url : options_.urls) {
      const fs::path marker = delivery_marker(options_.reports_dir, name, url);
      const fs::path refusal = refusal_marker(options_.reports_dir, name, url);
      std::error_code ec;
      if (fs::exists(marker, ec) || fs::exists(refusal, ec)) continue;
      Backoff& b = backoff_[url];
      if (Clock::now() < b.next) {
        next = std::min(next, b.next);
        continue;
      }
      if (body.empty()) {
        std::ifstream in(report, std::ios::binary);
        body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      const PostOutcome outcome =
          post_report(url, body, name, {options_.ca_file, options_.timeout});
      if (outcome.verdict == PostVerdict::retry) {
        b.delay = std::clamp(b.delay * 2, options_.backoff_initial, options_.backoff_max);
        b.next = Clock::now() + b.delay;
        next = std::min(next, b.next);
        spdlog::warn("report {} not delivered to {}: {} (retry in {} s)", name, escape_for_log(url),
                     escape_for_log(outcome.reason), b.delay.count() / 1000.0);
        continue;
      }
      b = Backoff{};  // the receiver answered: it is up
      const bool refused = outcome.verdict == PostVerdict::refused;
      // The marker holds the receiver's answer, so an operator can read why it was refused.
      // Atomic: a kill mid-write must not leave a marker for a report that was never marked.
      const std::string marker_text =
          url + "\n" + (refused ? escape_for_log(outcome.reason) + "\n" : std::string());
      if (auto error = write_file_atomically(refused ? refusal : marker, marker_text))
        spdlog::warn("report {}: {}; it may be sent again", name, *error);
      std::lock_guard lock(mutex_);
      if (refused) {
        ++refused_;
        spdlog::error("report {} refused by {} (not sent again): {}", name, escape_for_log(url),
                      escape_for_log(outcome.reason));
      } else {
        ++delivered_;
        spdlog::info("report {} delivered to {}", name, escape_for_log(url));
      }
    }
    std::lock_guard lock(mutex_);
    if (stopping_) break;
  }
  return next;
}

void ReportPusher::loop() {
  std::unique_lock lock(mutex_);
  while (!stopping_) {
    ready_ = false;
    lock.unlock();
    const Clock::time_point next = deliver_due();
    lock.lock();
    wake_.wait_until(lock, next, [&] { return stopping_ || ready_; });
  }
}

}  // namespace ih::proof
