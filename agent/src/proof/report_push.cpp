#include "proof/report_push.hpp"

#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "ih/hex_encode.hpp"
#include "ih/kernels/sha256.hpp"
#include "ih/log_escape.hpp"
#include "proof/window_reporter.hpp"

namespace ih::proof {

namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
  return size * count;
}

// "" on a 2xx answer, else what went wrong.
std::string post(const std::string& url, const std::string& body, const std::string& name,
                 const ReportPushOptions& options) {
  CURL* curl = curl_easy_init();
  if (curl == nullptr) return "curl_easy_init failed";
  curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  headers = curl_slist_append(headers, ("X-IH-Report: " + name).c_str());
  char error[CURL_ERROR_SIZE] = {};
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(curl, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) return error[0] != 0 ? error : curl_easy_strerror(rc);
  if (status < 200 || status >= 300) return "HTTP status " + std::to_string(status);
  return {};
}

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

ReportPusher::ReportPusher(ReportPushOptions options) : options_(std::move(options)) {}

ReportPusher::~ReportPusher() {
  stop();
}

void ReportPusher::start() {
  if (options_.urls.empty()) return;
  std::error_code ec;
  fs::create_directories(options_.reports_dir / "delivered", ec);
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

Clock::time_point ReportPusher::deliver_due() {
  Clock::time_point next = Clock::now() + std::chrono::minutes(1);
  for (const fs::path& report : report_files(options_.reports_dir)) {
    const std::string name = report.filename().string();
    std::string body;
    for (const std::string& url : options_.urls) {
      const fs::path marker = delivery_marker(options_.reports_dir, name, url);
      std::error_code ec;
      if (fs::exists(marker, ec)) continue;
      Backoff& b = backoff_[url];
      if (Clock::now() < b.next) {
        next = std::min(next, b.next);
        continue;
      }
      if (body.empty()) {
        std::ifstream in(report, std::ios::binary);
        body.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
      }
      const std::string failed = post(url, body, name, options_);
      if (!failed.empty()) {
        b.delay = std::clamp(b.delay * 2, options_.backoff_initial, options_.backoff_max);
        b.next = Clock::now() + b.delay;
        next = std::min(next, b.next);
        spdlog::warn("report {} not delivered to {}: {} (retry in {} s)", name, escape_for_log(url),
                     escape_for_log(failed), b.delay.count() / 1000.0);
        continue;
      }
      b = Backoff{};
      // Atomic: a kill mid-write must not leave a marker for a report that was never marked.
      if (auto error = write_file_atomically(marker, url + "\n"))
        spdlog::warn("report {}: {}; it may be sent again", name, *error);
      std::lock_guard lock(mutex_);
      ++delivered_;
      spdlog::info("report {} delivered to {}", name, escape_for_log(url));
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
