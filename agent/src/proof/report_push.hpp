// Delivers finished window reports to validators (--report-url, DESIGN §6): an HTTP POST per
// report and URL with libcurl (TLS verified), retried with back-off. Reports wait in
// <data-dir>/reports/ and a delivery is marked under reports/delivered/, so nothing is lost
// across restarts and nothing is sent twice. A receiver that refuses a report for good (400,
// 403, 409, 413, 422) gets a marker under reports/refused/ instead and is never asked again.
#pragma once

#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace ih::proof {

struct ReportPushOptions {
  std::vector<std::string> urls;
  std::string ca_file;  // extra CA bundle (--report-ca)
  std::filesystem::path reports_dir;
  std::chrono::milliseconds backoff_initial{std::chrono::seconds(2)};
  std::chrono::milliseconds backoff_max{std::chrono::minutes(5)};
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

class ReportPusher {
 public:
  explicit ReportPusher(ReportPushOptions options);
  ~ReportPusher();  // stop()
  ReportPusher(const ReportPusher&) = delete;
  ReportPusher& operator=(const ReportPusher&) = delete;

  void start();  // also picks up whatever an earlier run left undelivered
  void stop();
  void report_ready();  // a new report file is in place
  std::uint64_t delivered() const;
  std::uint64_t refused() const;  // final refusals

 private:
  struct Backoff {
    std::chrono::steady_clock::time_point next{};
    std::chrono::milliseconds delay{0};
  };
  void loop();
  // One pass over every undelivered (report, URL); returns when the next retry is due.
  std::chrono::steady_clock::time_point deliver_due();

  ReportPushOptions options_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  bool ready_ = false;
  std::uint64_t delivered_ = 0;
  std::uint64_t refused_ = 0;
  std::map<std::string, Backoff> backoff_;  // per URL
  std::thread thread_;
};

// Where the delivery of `report` to `url` is marked.
std::filesystem::path delivery_marker(const std::filesystem::path& reports_dir,
                                      const std::string& report_name, const std::string& url);
// Where a final refusal of `report` by `url` is marked (first line the URL, then the answer).
std::filesystem::path refusal_marker(const std::filesystem::path& reports_dir,
                                     const std::string& report_name, const std::string& url);

}  // namespace ih::proof
