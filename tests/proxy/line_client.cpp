#include "line_client.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

namespace ih::test {

using Clock = std::chrono::steady_clock;

LineClient::LineClient(const std::string& host, std::uint16_t port) {
  fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  ::inet_pton(AF_INET, host.c_str(), &addr.sin_addr);
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

LineClient::~LineClient() {
  if (fd_ >= 0) ::close(fd_);
}

void LineClient::send(const nlohmann::json& message) {
  const std::string line = message.dump() + "\n";
  std::size_t sent = 0;
  while (fd_ >= 0 && sent < line.size()) {
    const ssize_t n = ::send(fd_, line.data() + sent, line.size() - sent, MSG_NOSIGNAL);
    if (n <= 0) return;
    sent += static_cast<std::size_t>(n);
  }
}

bool LineClient::fill(std::chrono::milliseconds timeout) {
  if (fd_ < 0 || eof_) return false;
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char chunk[4096];
  const ssize_t n = ::recv(fd_, chunk, sizeof chunk, 0);
  if (n <= 0) {
    eof_ = true;
    return false;
  }
  buffer_.append(chunk, static_cast<std::size_t>(n));
  return true;
}

std::optional<nlohmann::json> LineClient::next(std::chrono::milliseconds timeout) {
  if (!kept_.empty()) {
    auto m = std::move(kept_.front());
    kept_.pop_front();
    return m;
  }
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    if (const auto nl = buffer_.find('\n'); nl != std::string::npos) {
      const std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      auto j = nlohmann::json::parse(line, nullptr, false);
      if (!j.is_discarded()) return j;
      continue;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0 || !fill(left)) return std::nullopt;
  }
}

std::optional<nlohmann::json> LineClient::until(
    const std::function<bool(const nlohmann::json&)>& match, std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  std::deque<nlohmann::json> others;
  std::optional<nlohmann::json> found;
  // Kept messages first, then the wire.
  std::deque<nlohmann::json> pending;
  pending.swap(kept_);
  for (auto& m : pending) {
    if (!found && match(m))
      found = std::move(m);
    else
      others.push_back(std::move(m));
  }
  while (!found) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) break;
    auto m = next(left);
    if (!m) break;
    if (match(*m))
      found = std::move(m);
    else
      others.push_back(std::move(*m));
  }
  for (auto& m : others) kept_.push_back(std::move(m));
  return found;
}

std::optional<nlohmann::json> LineClient::reply(int id, std::chrono::milliseconds timeout) {
  return until(
      [id](const nlohmann::json& m) {
        return m.contains("id") && m["id"].is_number_integer() && m["id"] == id &&
               !m.contains("method");
      },
      timeout);
}

}  // namespace ih::test
