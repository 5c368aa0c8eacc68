// Push to a real HTTP receiver (cpp-httplib on loopback) that is down, then up: every report
// arrives exactly once, across a restart of the pusher too.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <fstream>
#include <map>
#include <thread>

#include "proof/report_post.hpp"
#include "proof/report_push.hpp"
#include "proof/window_reporter.hpp"
#include "temp_dir.hpp"

namespace {

using namespace ih::proof;
using namespace std::chrono_literals;
using ih::proof::fixture::TempDir;

int free_loopback_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

class Receiver {
 public:
  explicit Receiver(int port) {
    server_.Post("/reports", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      ++received_[req.get_header_value("X-IH-Report")];
      bodies_.push_back(req.body);
      res.set_content("{}", "application/json");
    });
    EXPECT_TRUE(server_.bind_to_port("127.0.0.1", port));
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~Receiver() {
    server_.stop();
    thread_.join();
  }
  std::map<std::string, int> received() {
    std::lock_guard lock(mutex_);
    return received_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::mutex mutex_;
  std::map<std::string, int> received_;
  std::vector<std::string> bodies_;
};

void write_report(const std::filesystem::path& dir, std::int64_t start) {
  std::filesystem::create_directories(dir);
  ASSERT_FALSE(write_file_atomically(dir / report_file_name(start, start + 720'000),
                                     "{\"report\":" + std::to_string(start) + "}\n"));
}

template <typename F>
bool eventually(F done, std::chrono::milliseconds timeout = 10s) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(20ms);
  }
  return true;
}

TEST(ReportPush, EveryReportArrivesExactlyOnceThroughAnOutageAndRestarts) {
  TempDir tmp;
  const int port = free_loopback_port();
  ReportPushOptions options;
  options.urls = {"http://127.0.0.1:" + std::to_string(port) + "/reports"};
  options.reports_dir = tmp.path() / "reports";
  options.backoff_initial = 50ms;
  options.backoff_max = 200ms;
  options.timeout = 2s;
  write_report(options.reports_dir, 1'796'000'000'000);
  write_report(options.reports_dir, 1'796'000'720'000);
  {
    ReportPusher down(options);  // nothing listens yet
    down.start();
    std::this_thread::sleep_for(600ms);
    EXPECT_EQ(down.delivered(), 0u);
  }  // the agent stops with both reports undelivered
  {
    Receiver receiver(port);
    ReportPusher up(options);  // a restart: the spool is picked up
    up.start();
    ASSERT_TRUE(eventually([&] { return up.delivered() == 2; }));
    write_report(options.reports_dir, 1'796'001'440'000);
    up.report_ready();
    ASSERT_TRUE(eventually([&] { return up.delivered() == 3; }));
    up.stop();
    ReportPusher again(options);  // another restart: nothing is sent twice
    again.start();
    std::this_thread::sleep_for(500ms);
    again.stop();
    EXPECT_EQ(again.delivered(), 0u);
    const auto received = receiver.received();
    ASSERT_EQ(received.size(), 3u);
    for (const auto& [name, count] : received) EXPECT_EQ(count, 1) << name;
  }
}

TEST(ReportPush, HttpsReceiversAreTrustedOnlyThroughTheCaGiven) {
  TempDir tmp;
  const std::string cert = (tmp.path() / "cert.pem").string(),
                    key = (tmp.path() / "key.pem").string();
  const std::string make_cert =
      "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=127.0.0.1 "
      "-addext subjectAltName=IP:127.0.0.1 -keyout " +
      key + " -out " + cert + " >/dev/null 2>&1";
  ASSERT_EQ(std::system(make_cert.c_str()), 0);
  httplib::SSLServer server(cert.c_str(), key.c_str());
  std::atomic<int> received{0};
  server.Post("/reports", [&](const httplib::Request&, httplib::Response& res) {
    ++received;
    res.set_content("{}", "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::thread thread([&] { server.listen_after_bind(); });
  while (!server.is_running()) std::this_thread::sleep_for(5ms);
  ReportPushOptions options;
  options.urls = {"https://127.0.0.1:" + std::to_string(port) + "/reports"};
  options.reports_dir = tmp.path() / "reports";
  options.backoff_initial = 50ms;
  options.backoff_max = 100ms;
  write_report(options.reports_dir, 1'796'000'000'000);
  {
    ReportPusher untrusted(options);  // the system store does not know this certificate
    untrusted.start();
    std::this_thread::sleep_for(500ms);
    untrusted.stop();
    EXPECT_EQ(untrusted.delivered(), 0u);
    EXPECT_EQ(received.load(), 0);
  }
  options.ca_file = cert;
  ReportPusher trusted(options);
  trusted.start();
  EXPECT_TRUE(eventually([&] { return trusted.delivered() == 1; }));
  trusted.stop();
  EXPECT_EQ(received.load(), 1);
  server.stop();
  thread.join();
}

// A receiver that answers each POST with the next status of a script (the last one repeats).
class ScriptedReceiver {
 public:
  ScriptedReceiver(std::vector<int> statuses, std::string answer)
      : statuses_(std::move(statuses)), answer_(std::move(answer)) {
    server_.Post("/reports", [this](const httplib::Request&, httplib::Response& res) {
      std::lock_guard lock(mutex_);
      res.status = statuses_[std::min(posts_, statuses_.size() - 1)];
      ++posts_;
      res.set_content(answer_, "text/plain");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
    while (!server_.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  ~ScriptedReceiver() {
    server_.stop();
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_) + "/reports"; }
  std::size_t posts() {
    std::lock_guard lock(mutex_);
    return posts_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  std::mutex mutex_;
  std::vector<int> statuses_;
  std::string answer_;
  std::size_t posts_ = 0;
  int port_ = 0;
};

TEST(ReportPush, AFinalRefusalIsMarkedLoggedEscapedAndNeverRetried) {
  for (const int status : {400, 403, 409, 413, 422}) {
    SCOPED_TRACE(status);
    TempDir tmp;
    ScriptedReceiver receiver({status}, "bad_signature\x1b[2J\n");
    ReportPushOptions options;
    options.urls = {receiver.url()};
    options.reports_dir = tmp.path() / "reports";
    options.backoff_initial = 20ms;
    options.backoff_max = 40ms;
    write_report(options.reports_dir, 1'796'000'000'000);
    const std::string name = report_file_name(1'796'000'000'000, 1'796'000'720'000);
    for (int run = 0; run < 2; ++run) {  // the second run is a restart
      ReportPusher pusher(options);
      pusher.start();
      if (run == 0) {
        ASSERT_TRUE(eventually([&] { return pusher.refused() == 1; }));
      }
      std::this_thread::sleep_for(300ms);  // many back-off periods
      pusher.stop();
      EXPECT_EQ(pusher.delivered(), 0u);
      EXPECT_EQ(receiver.posts(), 1u);
    }
    const auto marker = refusal_marker(options.reports_dir, name, options.urls[0]);
    std::ifstream in(marker);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_NE(text.find("HTTP status " + std::to_string(status) + ": bad_signature"),
              std::string::npos)
        << text;
    EXPECT_EQ(text.find('\x1b'), std::string::npos) << "remote bytes kept unescaped";
    EXPECT_FALSE(
        std::filesystem::exists(delivery_marker(options.reports_dir, name, options.urls[0])));
  }
}

TEST(ReportPush, TooManyRequestsAndServerErrorsAreRetriedUntilDelivered) {
  TempDir tmp;
  ScriptedReceiver receiver({429, 500, 503, 200}, "busy");
  ReportPushOptions options;
  options.urls = {receiver.url()};
  options.reports_dir = tmp.path() / "reports";
  options.backoff_initial = 20ms;
  options.backoff_max = 40ms;
  write_report(options.reports_dir, 1'796'000'000'000);
  ReportPusher pusher(options);
  pusher.start();
  ASSERT_TRUE(eventually([&] { return pusher.delivered() == 1; }));
  std::this_thread::sleep_for(200ms);
  pusher.stop();
  EXPECT_EQ(pusher.refused(), 0u);
  EXPECT_EQ(receiver.posts(), 4u);
}

TEST(ReportPush, StatusesSortIntoDeliveredFinalAndRetry) {
  EXPECT_EQ(verdict_for_status(200), PostVerdict::delivered);
  EXPECT_EQ(verdict_for_status(204), PostVerdict::delivered);
  for (const long s : {400L, 403L, 409L, 413L, 422L})
    EXPECT_EQ(verdict_for_status(s), PostVerdict::refused) << s;
  for (const long s : {0L, 301L, 404L, 408L, 429L, 500L, 502L, 503L, 504L})
    EXPECT_EQ(verdict_for_status(s), PostVerdict::retry) << s;
}

}  // namespace
