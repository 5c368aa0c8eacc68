// Issue 18's end to end on loopback, with the binaries as they are deployed: two
// `infinite-hashes mine` processes (their own keys and workers, the built-in pool, short windows)
// push to one `infinite-hashes collect` that knows both keys; its /api/v1/workers lists both
// workers with hashrates inside the intervals `verify` computes from the same reports.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <thread>

#include "proof/utc_time.hpp"
#include "proof/window_reporter.hpp"
#include "run_command.hpp"

namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;
using ih::test::run_command;

const std::string kBinary = IH_AGENT_BINARY;

// A child process of the binary, its output in `log`; stopped with SIGINT, killed if it hangs.
class Child {
 public:
  Child(const std::vector<std::string>& args, const fs::path& log) {
    pid_ = ::fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, 1);
      ::dup2(fd, 2);
      std::vector<char*> argv;
      for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }
  ~Child() { stop(); }
  int stop() {
    if (pid_ <= 0) return exit_code_;
    ::kill(pid_, SIGINT);
    int status = 0;
    for (int i = 0; i < 200 && ::waitpid(pid_, &status, WNOHANG) == 0; ++i)
      std::this_thread::sleep_for(50ms);
    if (::waitpid(pid_, &status, WNOHANG) == 0) {  // hung: 10 s after SIGINT
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, &status, 0);
    }
    pid_ = -1;
    exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return exit_code_;
  }

 private:
  pid_t pid_ = -1;
  int exit_code_ = -1;
};

std::string read_text(const fs::path& p) {
  std::ifstream in(p);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

struct Agent {
  std::string hotkey;
  std::string worker_id;
  fs::path data;
  std::string key_file;
  std::string public_key;
};

// Reports the collector took (marked delivered) of full 2 s windows (not the first or last, cut
// by start and stop): on whole seconds, so the seconds-resolution API interval covers exactly
// them.
std::vector<fs::path> delivered_full_windows(const Agent& a, std::int64_t& from_ms,
                                             std::int64_t& to_ms) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(a.data / "reports")) {
    const auto window = ih::proof::report_file_window(e.path().filename().string());
    if (!window || window->first % 2000 != 0 || window->second - window->first != 2000) continue;
    const std::string name = e.path().filename().string();
    std::error_code ec;
    const bool delivered = [&] {
      for (const auto& m : fs::directory_iterator(a.data / "reports" / "delivered", ec))
        if (m.path().filename().string().rfind(name + ".", 0) == 0) return true;
      return false;
    }();
    if (!delivered) continue;
    out.push_back(e.path());
    from_ms = out.size() == 1 ? window->first : std::min(from_ms, window->first);
    to_ms = out.size() == 1 ? window->second : std::max(to_ms, window->second);
  }
  std::sort(out.begin(), out.end());
  return out;
}

TEST(CollectTwoAgents, BothWorkersServedInsideTheIntervalsVerifyComputes) {
  const fs::path dir = fs::temp_directory_path() / ("ih-collect-two-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  std::vector<Agent> agents = {{"5HotAlpha", "sn89auction.5HotAlpha.rigA", dir / "a", "", ""},
                               {"5HotBravo", "sn89auction.5HotBravo.rigB", dir / "b", "", ""}};
  std::string keys = "[hotkeys]\n";
  for (Agent& a : agents) {
    a.key_file = (dir / (a.hotkey + ".key")).string();
    const auto keygen = run_command(kBinary + " keygen --out " + a.key_file);
    ASSERT_EQ(keygen.exit_code, 0) << keygen.output;
    a.public_key = keygen.output.substr(0, 64);
    keys += a.hotkey + " = [\"" + a.public_key + "\"]\n";
  }
  std::ofstream(dir / "keys.toml") << keys;

  Child collect({kBinary, "--no-color", "collect", "--bind", "127.0.0.1:0", "--data-dir",
                 (dir / "collect").string(), "--keys", (dir / "keys.toml").string()},
                dir / "collect.log");
  std::string url;
  for (int i = 0; i < 200 && url.empty(); ++i) {
    const std::string log = read_text(dir / "collect.log");
    const auto at = log.find("collect: listening on ");
    if (at != std::string::npos && log.find('\n', at) != std::string::npos)
      url = log.substr(at + 22, log.find('\n', at) - at - 22);
    else
      std::this_thread::sleep_for(50ms);
  }
  ASSERT_FALSE(url.empty()) << read_text(dir / "collect.log");
  if (url.back() == '/') url.pop_back();

  {
    std::vector<std::unique_ptr<Child>> miners;
    for (const Agent& a : agents)
      miners.push_back(std::make_unique<Child>(
          std::vector<std::string>{kBinary, "--no-color", "mine", "-t", "1", "--report-window", "2",
                                   "--key", a.key_file, "--data-dir", a.data.string(), "-u",
                                   a.worker_id, "--report-url", url + "/api/v1/reports"},
          a.data.string() + ".log"));
    std::this_thread::sleep_for(10s);  // at least three full windows each
    for (auto& m : miners) EXPECT_EQ(m->stop(), 0);
  }

  httplib::Client client(url);
  for (const Agent& a : agents) {
    SCOPED_TRACE(a.worker_id);
    std::int64_t from_ms = 0, to_ms = 0;
    const auto reports = delivered_full_windows(a, from_ms, to_ms);
    ASSERT_GE(reports.size(), 2u) << read_text(a.data.string() + ".log");
    ASSERT_EQ(to_ms - from_ms, static_cast<std::int64_t>(reports.size()) * 2000)
        << "the delivered full windows are not contiguous";
    std::string files;
    for (const auto& r : reports) {
      files += ' ';  // appended apart: GCC 12 warns falsely (-Wrestrict) on " " + string
      files += r.string();
    }
    const auto verified = run_command(kBinary + " verify --json --pubkey " + a.public_key + files);
    ASSERT_EQ(verified.exit_code, 0) << verified.output;
    const auto v = nlohmann::json::parse(verified.output.substr(verified.output.find('{')));
    ASSERT_EQ(v["workers"].size(), 1u) << verified.output;
    const auto low = v["workers"][0]["hashrate_low"].get<std::uint64_t>();
    const auto high = v["workers"][0]["hashrate_high"].get<std::uint64_t>();

    const std::string query =
        "/api/v1/workers?pattern=sn89auction.*.*&start_time=" +
        httplib::detail::encode_query_param(ih::proof::format_iso8601(from_ms)) +
        "&end_time=" + httplib::detail::encode_query_param(ih::proof::format_iso8601(to_ms)) +
        "&limit=10&offset=0";
    const auto res = client.Get(query);
    ASSERT_TRUE(res) << httplib::to_string(res.error());
    ASSERT_EQ(res->status, 200) << res->body;
    const auto workers = nlohmann::json::parse(res->body)["workers"];
    ASSERT_EQ(workers.size(), 2u) << res->body;  // both agents' workers overlap every window
    std::map<std::string, std::uint64_t> rates;
    for (const auto& w : workers) rates[w["worker_id"]] = w["hashrate"].get<std::uint64_t>();
    ASSERT_EQ(rates.count(a.worker_id), 1u) << res->body;
    EXPECT_GT(low, 0u);
    EXPECT_LE(low, rates[a.worker_id]) << res->body << "\n" << verified.output;
    EXPECT_GE(high, rates[a.worker_id]) << res->body << "\n" << verified.output;
  }
  EXPECT_EQ(collect.stop(), 0) << read_text(dir / "collect.log");
  fs::remove_all(dir);
}

}  // namespace
