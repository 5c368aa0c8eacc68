#include "fault_proxy.hpp"

#include <asio.hpp>
#include <atomic>
#include <deque>
#include <future>
#include <list>
#include <mutex>
#include <stdexcept>
#include <thread>

namespace ih::test {

namespace {

using asio::ip::tcp;

// One accepted connection and its upstream: two pipes, each reading lines from one socket,
// filtering them and writing what the filter says to the other.
class Relay : public std::enable_shared_from_this<Relay> {
 public:
  Relay(tcp::socket agent, asio::io_context& io, ConnectionScript script)
      : agent_(std::move(agent)), pool_(io), script_(std::move(script)), trickle_timer_(io) {}

  void start(std::uint16_t upstream_port) {
    auto self = shared_from_this();
    switch (script_.at_accept) {
      case AtAccept::close:
        return end(Then::close);
      case AtAccept::reset:
        return end(Then::reset);
      case AtAccept::greet_then_close:
        down_.queue.push_back(script_.greeting);
        down_.after = Then::close;
        return write(down_, agent_);
      case AtAccept::relay:
        break;
    }
    const tcp::endpoint upstream(asio::ip::address_v4::loopback(), upstream_port);
    pool_.async_connect(upstream, [this, self](asio::error_code ec) {
      if (ec) return end(Then::close);
      read(up_, agent_, pool_, script_.up);
      read(down_, pool_, agent_, script_.down);
    });
  }

  void end(Then how) {
    if (closed_) return;
    closed_ = true;
    asio::error_code ignored;
    if (how == Then::reset) agent_.set_option(asio::socket_base::linger(true, 0), ignored);
    agent_.close(ignored);
    pool_.close(ignored);
    trickle_timer_.cancel();
  }
  bool open() const { return !closed_; }

 private:
  struct Pipe {
    std::string partial;  // bytes after the last '\n'
    std::deque<std::string> queue;
    bool writing = false;
    Then after = Then::go_on;  // applied once the queue drained
    std::array<char, 4096> buffer{};
  };

  void read(Pipe& pipe, tcp::socket& from, tcp::socket& to, const LineFilter& filter) {
    auto self = shared_from_this();
    from.async_read_some(asio::buffer(pipe.buffer), [this, self, &pipe, &from, &to, &filter](
                                                        asio::error_code ec, std::size_t n) {
      if (ec || closed_) return end(Then::close);
      if (stalled_) return read(pipe, from, to, filter);  // swallowed: a peer that hangs
      pipe.partial.append(pipe.buffer.data(), n);
      for (std::size_t eol;
           pipe.after == Then::go_on && (eol = pipe.partial.find('\n')) != std::string::npos;) {
        const std::string line = pipe.partial.substr(0, eol + 1);
        pipe.partial.erase(0, eol + 1);
        LineVerdict verdict = filter ? filter(line) : forward(line);
        for (auto& bytes : verdict.send)
          if (!bytes.empty()) pipe.queue.push_back(std::move(bytes));
        pipe.after = verdict.then;
      }
      write(pipe, to);
      if (pipe.after == Then::go_on || pipe.after == Then::stall) read(pipe, from, to, filter);
    });
  }

  void write(Pipe& pipe, tcp::socket& to) {
    if (pipe.writing || closed_) return;
    if (pipe.queue.empty()) {
      if (pipe.after == Then::stall) stalled_ = true;
      if (pipe.after == Then::close || pipe.after == Then::reset) end(pipe.after);
      return;
    }
    if (stalled_) return;
    pipe.writing = true;
    auto self = shared_from_this();
    const bool trickle = script_.trickle_down && &to == &agent_;
    std::string& front = pipe.queue.front();
    const std::size_t size = trickle ? 1 : front.size();
    asio::async_write(to, asio::buffer(front.data(), size),
                      [this, self, &pipe, &to, trickle](asio::error_code ec, std::size_t n) {
                        pipe.writing = false;
                        if (ec) return end(Then::close);
                        std::string& sent = pipe.queue.front();
                        sent.erase(0, n);
                        if (sent.empty()) pipe.queue.pop_front();
                        if (!trickle) return write(pipe, to);
                        // A pause between bytes, so each arrives in its own read.
                        trickle_timer_.expires_after(std::chrono::microseconds(300));
                        trickle_timer_.async_wait([this, self, &pipe, &to](asio::error_code e) {
                          if (!e) write(pipe, to);
                        });
                      });
  }

  tcp::socket agent_;
  tcp::socket pool_;
  ConnectionScript script_;
  asio::steady_timer trickle_timer_;
  Pipe up_;    // agent -> pool
  Pipe down_;  // pool -> agent
  bool closed_ = false;
  bool stalled_ = false;
};

}  // namespace

struct FaultProxy::Impl {
  std::uint16_t upstream_port;
  asio::io_context io;
  asio::executor_work_guard<asio::io_context::executor_type> work = asio::make_work_guard(io);
  tcp::acceptor acceptor{io};
  asio::steady_timer reopen_timer{io};
  std::uint16_t port = 0;
  mutable std::mutex mutex;
  Script script;
  std::vector<std::chrono::steady_clock::time_point> times;
  std::atomic<std::size_t> accepted{0};
  std::list<std::weak_ptr<Relay>> relays;  // touched on the I/O thread only
  std::atomic<std::size_t> open_relays{0};
  std::thread thread;

  // False if the port is taken (only possible on a reopen after refuse_for()).
  bool listen() {
    const tcp::endpoint endpoint(asio::ip::address_v4::loopback(), port);
    asio::error_code ec;
    acceptor.open(endpoint.protocol(), ec);
    if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
    if (!ec) acceptor.bind(endpoint, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      acceptor.close(ec);
      return false;
    }
    port = acceptor.local_endpoint().port();
    return true;
  }

  void reopen_after(std::chrono::milliseconds delay) {
    reopen_timer.expires_after(delay);
    reopen_timer.async_wait([this](asio::error_code ec) {
      if (ec) return;
      if (!listen()) return reopen_after(std::chrono::milliseconds(20));
      accept();
    });
  }

  void accept() {
    acceptor.async_accept([this](asio::error_code ec, tcp::socket socket) {
      if (ec) return;  // closed (refuse_for or shutdown)
      const std::size_t n = accepted++;
      ConnectionScript next;
      {
        std::lock_guard lock(mutex);
        times.push_back(std::chrono::steady_clock::now());
        if (script) next = script(n);
      }
      asio::error_code ignored;
      socket.set_option(tcp::no_delay(true), ignored);
      auto relay = std::make_shared<Relay>(std::move(socket), io, std::move(next));
      relays.remove_if([](const auto& r) { return r.expired(); });
      relays.push_back(relay);
      relay->start(upstream_port);
      accept();
    });
  }

  void count_open() {
    std::size_t n = 0;
    for (auto& r : relays)
      if (auto relay = r.lock(); relay && relay->open()) ++n;
    open_relays = n;
  }
};

FaultProxy::FaultProxy(std::uint16_t upstream_port, Script script) : impl_(new Impl) {
  impl_->upstream_port = upstream_port;
  impl_->script = std::move(script);
  if (!impl_->listen()) throw std::runtime_error("fault proxy: cannot listen on loopback");
  impl_->accept();
  impl_->thread = std::thread([p = impl_.get()] { p->io.run(); });
}

FaultProxy::~FaultProxy() {
  drop_all();
  impl_->io.stop();
  impl_->thread.join();
}

std::uint16_t FaultProxy::port() const {
  return impl_->port;
}

std::string FaultProxy::url(std::string_view scheme) const {
  return std::string(scheme) + "://127.0.0.1:" + std::to_string(impl_->port);
}

std::size_t FaultProxy::connections() const {
  return impl_->accepted;
}

std::vector<std::chrono::steady_clock::time_point> FaultProxy::connection_times() const {
  std::lock_guard lock(impl_->mutex);
  return impl_->times;
}

std::size_t FaultProxy::open_relays() const {
  std::promise<void> done;
  asio::post(impl_->io, [&] {
    impl_->count_open();
    done.set_value();
  });
  done.get_future().wait();
  return impl_->open_relays;
}

void FaultProxy::set_script(Script script) {
  std::lock_guard lock(impl_->mutex);
  impl_->script = std::move(script);
}

void FaultProxy::refuse_for(std::chrono::milliseconds duration) {
  std::promise<void> closed;
  asio::post(impl_->io, [p = impl_.get(), duration, &closed] {
    asio::error_code ignored;
    p->acceptor.close(ignored);
    closed.set_value();
    p->reopen_after(duration);
  });
  closed.get_future().wait();
}

void FaultProxy::drop_all() {
  std::promise<void> done;
  asio::post(impl_->io, [&] {
    for (auto& r : impl_->relays)
      if (auto relay = r.lock()) relay->end(Then::close);
    done.set_value();
  });
  done.get_future().wait();
}

}  // namespace ih::test
