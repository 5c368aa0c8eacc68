#include "local_pool/local_pool.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <asio.hpp>
#include <atomic>
#include <deque>
#include <list>
#include <random>
#include <thread>

#include "local_pool/pool_totals.hpp"
#include "local_pool/synthetic_job.hpp"

namespace ih::agent::local_pool {

namespace {

using stratum::server::Clock;
using stratum::server::JobBook;
using stratum::server::ServerSession;

constexpr std::size_t kMaxLine = 16 * 1024;

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(asio::ip::tcp::socket socket, std::unique_ptr<ServerSession> session,
             PoolTotals& totals)
      : socket_(std::move(socket)), session_(std::move(session)), totals_(totals) {}

  void start() { read(); }
  bool open() const { return open_; }
  ServerSession& session() { return *session_; }

  void send(const std::vector<std::string>& lines) {
    if (!open_) return;
    const bool idle = queue_.empty();
    for (const auto& l : lines) queue_.push_back(l + "\n");
    if (idle && !queue_.empty()) write();
  }

  void close() {
    if (!open_) return;
    open_ = false;
    asio::error_code ignored;
    socket_.close(ignored);
  }

 private:
  void read() {
    auto self = shared_from_this();
    asio::async_read_until(socket_, asio::dynamic_buffer(buffer_, kMaxLine), '\n',
                           [this, self](asio::error_code ec, std::size_t n) {
                             if (ec) return close();
                             const std::string line = buffer_.substr(0, n);
                             buffer_.erase(0, n);
                             handle(session_->on_line(line, Clock::now()));
                             read();
                           });
  }

  void handle(stratum::server::ServerActions actions) {
    if (actions.share) totals_.accepted(actions.share->difficulty);
    if (actions.rejection) {
      if (actions.rejection->code == 21)
        totals_.stale();
      else
        totals_.rejected(actions.rejection->reason);
    }
    send(actions.lines);
  }

  void write() {
    auto self = shared_from_this();
    asio::async_write(socket_, asio::buffer(queue_.front()),
                      [this, self](asio::error_code ec, std::size_t) {
                        if (ec) return close();
                        queue_.pop_front();
                        if (!queue_.empty()) write();
                      });
  }

  asio::ip::tcp::socket socket_;
  std::unique_ptr<ServerSession> session_;
  PoolTotals& totals_;
  std::string buffer_;
  std::deque<std::string> queue_;
  bool open_ = true;
};

}  // namespace

// The local pool stands in for real pools, which take a proxy's many worker names on one
// connection.
static LocalPoolOptions with_pool_defaults(LocalPoolOptions o) {
  o.session.max_workers_per_connection =
      std::max<std::size_t>(o.session.max_workers_per_connection, 100000);
  return o;
}

struct LocalPool::Impl {
  LocalPoolOptions options;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io};
  asio::steady_timer job_timer{io};
  asio::steady_timer tick_timer{io};
  SyntheticJobs jobs;
  JobBook book;
  PoolTotals totals;
  std::list<std::shared_ptr<Connection>> connections;
  std::uint32_t next_extranonce1 = 1;
  std::atomic<std::uint64_t> job_count{0};
  std::atomic<std::size_t> connection_count{0};
  std::thread thread;

  explicit Impl(LocalPoolOptions o)
      : options(with_pool_defaults(std::move(o))),
        jobs(options.seed ? options.seed : std::random_device{}(), options.extranonce2_size) {}

  void accept() {
    acceptor.async_accept([this](asio::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;  // closed
      stratum::Bytes en1(kExtranonce1Size);
      const std::uint32_t n = next_extranonce1++;
      for (std::size_t i = 0; i < en1.size(); ++i)
        en1[i] = static_cast<std::uint8_t>(n >> (8 * (en1.size() - 1 - i)));
      auto conn = std::make_shared<Connection>(
          std::move(socket),
          std::make_unique<ServerSession>(en1, options.extranonce2_size, options.session, &book,
                                          Clock::now()),
          totals);
      connections.push_back(conn);
      conn->start();
      accept();
    });
  }

  void publish(bool clean) {
    stratum::JobFields job = jobs.next(clean);
    book.add(job);
    ++job_count;
    for (auto& c : connections) c->send(c->session().on_job(job));
  }

  void schedule_job() {
    job_timer.expires_after(options.job_interval);
    job_timer.async_wait([this](asio::error_code ec) {
      if (ec) return;
      publish(true);
      schedule_job();
    });
  }

  void schedule_tick() {
    tick_timer.expires_after(std::chrono::milliseconds(250));
    tick_timer.async_wait([this](asio::error_code ec) {
      if (ec) return;
      connections.remove_if([](const auto& c) { return !c->open(); });
      connection_count = connections.size();
      for (auto& c : connections) c->send(c->session().on_tick(Clock::now()));
      schedule_tick();
    });
  }
};

LocalPool::LocalPool(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

LocalPool::~LocalPool() {
  stop();
}

Result<std::unique_ptr<LocalPool>> LocalPool::start(LocalPoolOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  asio::error_code ec;
  const auto address = asio::ip::make_address(impl->options.host, ec);
  if (ec) return make_error("bind address '" + impl->options.host + "': " + ec.message());
  const asio::ip::tcp::endpoint endpoint(address, impl->options.port);
  impl->acceptor.open(endpoint.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(endpoint, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error("cannot listen on " + impl->options.host + ":" +
                      std::to_string(impl->options.port) + ": " + ec.message());
  Impl* p = impl.get();
  p->publish(true);
  p->accept();
  p->schedule_job();
  p->schedule_tick();
  p->thread = std::thread([p] { p->io.run(); });
  std::unique_ptr<LocalPool> pool(new LocalPool(std::move(impl)));
  spdlog::info("local pool listening on {} (difficulty {:.6g}, new block every {} s)", pool->url(),
               p->options.session.initial_difficulty, p->options.job_interval.count() / 1000.0);
  return pool;
}

std::uint16_t LocalPool::port() const {
  asio::error_code ec;
  const auto endpoint = impl_->acceptor.local_endpoint(ec);
  return ec ? 0 : endpoint.port();
}

std::string LocalPool::url() const {
  return "stratum+tcp://" + impl_->options.host + ":" + std::to_string(port());
}

void LocalPool::new_job(bool clean) {
  asio::post(impl_->io, [p = impl_.get(), clean] { p->publish(clean); });
}

LocalPoolStats LocalPool::stats() const {
  LocalPoolStats s;
  s.accepted = impl_->totals.accepted_count();
  s.rejected = impl_->totals.rejected_count();
  s.stale = impl_->totals.stale_count();
  s.reject_reasons = impl_->totals.reject_reasons();
  s.jobs = impl_->job_count;
  s.connections = impl_->connection_count;
  return s;
}

void LocalPool::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->io, [p = impl_.get()] {
    asio::error_code ignored;
    p->acceptor.close(ignored);
    p->job_timer.cancel();
    p->tick_timer.cancel();
    for (auto& c : p->connections) c->close();
    p->connections.clear();
    // A handler that re-arms itself (or a socket accepted while closing) must not keep run()
    // alive: stopping the context ends the thread whatever is still queued.
    p->io.stop();
  });
  impl_->thread.join();
}

}  // namespace ih::agent::local_pool
