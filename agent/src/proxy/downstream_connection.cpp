#include "proxy/downstream_connection.hpp"

#include <spdlog/spdlog.h>

namespace ih::proxy {

namespace {

constexpr std::size_t kMaxLine = 16 * 1024;
constexpr std::size_t kMaxQueuedBytes = 1 << 20;  // a miner that reads nothing is dropped

}  // namespace

void DownstreamConnection::send(const std::vector<std::string>& lines) {
  if (!open) return;
  const bool idle = queue.empty();
  for (const auto& l : lines) {
    queue.push_back(l + "\n");
    queued_bytes += queue.back().size();
  }
  if (queued_bytes > kMaxQueuedBytes) {
    spdlog::warn("proxy: {} reads nothing ({} bytes queued): dropped", remote, queued_bytes);
    return close();
  }
  if (idle && !queue.empty()) write();
}

void DownstreamConnection::close() {
  if (!open) return;
  open = false;
  asio::error_code ignored;
  socket.close(ignored);
}

void DownstreamConnection::read() {
  auto self = shared_from_this();
  asio::async_read_until(socket, asio::dynamic_buffer(buffer, kMaxLine), '\n',
                         [this, self](asio::error_code ec, std::size_t n) {
                           if (ec) {
                             if (ec == asio::error::not_found)
                               spdlog::warn("proxy: {} sent a line over {} bytes: dropped", remote,
                                            kMaxLine);
                             return close();
                           }
                           std::string line = buffer.substr(0, n - 1);
                           buffer.erase(0, n);
                           on_line(*this, line);
                           if (open) read();
                         });
}

void DownstreamConnection::write() {
  auto self = shared_from_this();
  asio::async_write(socket, asio::buffer(queue.front()),
                    [this, self](asio::error_code ec, std::size_t) {
                      if (ec) return close();
                      queued_bytes -= queue.front().size();
                      queue.pop_front();
                      if (!queue.empty()) write();
                    });
}

}  // namespace ih::proxy
