#include "sim_miner.hpp"

#include <array>
#include <asio.hpp>
#include <cmath>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <variant>

#include "ih/kernels/scanner_catalog.hpp"
#include "ih/log_escape.hpp"
#include "ih/stratum/protocol/messages.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "sim_nonce_scan.hpp"
#include "sim_token_bucket.hpp"

namespace ih::test {

namespace {

using asio::ip::tcp;
using stratum::Method;

// One scanner call hashes at most this many nonces, so a fast miner yields in time.
constexpr std::uint64_t kScanChunk = 1 << 16;

Result<std::unique_ptr<kernels::Scanner>> make_scanner(const std::string& name) {
  for (auto& entry : kernels::cpu_scanner_catalog()) {
    if (name.empty() ? (entry.runnable && entry.name != "reference") : entry.name == name) {
      if (!entry.runnable)
        return make_error("scanner '" + name + "' cannot run here: " + entry.why_not);
      return entry.make();
    }
  }
  return make_error("no CPU scanner is named '" + name + "'");
}

std::string check_spec(const SimMinerSpec& spec) {
  if (spec.user.empty()) return "user is empty";
  if (!std::isfinite(spec.hashrate_hs) || spec.hashrate_hs <= 0)
    return "hashrate_hs must be a positive finite number, not " + std::to_string(spec.hashrate_hs);
  return {};
}

std::string check_options(const SimFleetOptions& o) {
  if (o.slice.count() <= 0) return "slice must be positive";
  if (!(o.hash_duty > 0 && o.hash_duty <= 1)) return "hash_duty must be in (0, 1]";
  if (o.yield_every.count() <= 0) return "yield_every must be positive";
  if (!(o.bucket_seconds > 0)) return "bucket_seconds must be positive";
  if (o.max_line_bytes == 0) return "max_line_bytes must be positive";
  return {};
}

// What every miner shares: the io thread's context, the scanner and the stats lock.
struct FleetContext {
  SimFleetOptions options;
  asio::io_context io{1};
  std::unique_ptr<kernels::Scanner> scanner;
  std::mutex mutex;  // guards every miner's stats_
  bool stopping = false;
};

// One downstream connection. Everything but stats_ is touched on the io thread only.
class Miner {
 public:
  Miner(FleetContext& ctx, std::size_t index, SimMinerSpec spec, std::string host,
        std::uint16_t port)
      : ctx_(ctx),
        spec_(std::move(spec)),
        socket_(ctx.io),
        retry_(ctx.io),
        host_(std::move(host)),
        port_(port),
        lines_(ctx.options.max_line_bytes),
        bucket_(spec_.hashrate_hs, ctx.options.bucket_seconds),
        // Spread the miners' rolled versions so their submits carry different version bits.
        version_seed_((index + 1) * 2654435761u) {
    stats_.user = spec_.user;
    stats_.nominal_hs = spec_.hashrate_hs;
  }

  const SimMinerStats& stats_locked() const { return stats_; }

  void connect() {
    if (ctx_.stopping) return;
    const std::uint64_t gen = generation_;
    // Resolved on this thread: asio's async resolver would start a thread of its own.
    asio::error_code ec;
    tcp::resolver resolver(ctx_.io);
    const auto endpoints = resolver.resolve(host_, std::to_string(port_), ec);
    if (ec) return connect_failed("cannot resolve " + host_ + ": " + ec.message());
    asio::async_connect(socket_, endpoints,
                        [this, gen](asio::error_code error, const tcp::endpoint&) {
                          if (gen != generation_ || ctx_.stopping) return;
                          if (error)
                            return connect_failed("cannot connect to " + host_ + ":" +
                                                  std::to_string(port_) + ": " + error.message());
                          on_connected();
                        });
  }

  void shutdown() {
    disconnect();
    retry_.cancel();
  }

  // Hashes what the pace owes (until `deadline`) and submits the shares found.
  void hash(SimClock::time_point now, SimClock::time_point deadline) {
    if (!scan_.active()) return;
    bucket_.refill(now);
    std::uint64_t owed = bucket_.available();
    std::uint64_t done_total = 0;
    while (owed > 0) {
      const std::uint64_t done = scan_.scan(*ctx_.scanner, std::min(owed, kScanChunk), found_);
      if (done == 0) break;
      bucket_.take(done);
      owed -= std::min(owed, done);
      done_total += done;
      if (owed > 0 && SimClock::now() >= deadline) break;
    }
    for (const sim::FoundShare& share : found_) {
      const std::uint64_t id = request(Method::submit);
      write(stratum::encode_submit(id, {spec_.user, share.job_id, share.extranonce2, share.ntime,
                                        share.nonce, share.version_bits}));
    }
    update([&](SimMinerStats& s) {
      s.hashes += done_total;
      s.hashes_missed = bucket_.missed();
      s.shares_submitted += found_.size();
    });
    found_.clear();
  }

 private:
  template <typename Change>
  void update(Change change) {
    std::lock_guard lock(ctx_.mutex);
    change(stats_);
  }

  void on_connected() {
    asio::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    // A new connection is a new session: nothing of the old one carries over.
    lines_.clear();
    out_.clear();
    writing_ = false;
    pending_.clear();
    subscribed_ = false;
    extranonce1_.clear();
    extranonce2_size_ = 0;
    version_mask_ = 0;
    job_.reset();
    target_ = *stratum::difficulty_to_target(1);
    update([](SimMinerStats& s) {
      ++s.connects;
      s.connected = true;
      s.subscribed = s.authorized = s.version_rolling = s.hashing = false;
      s.version_mask = 0;
      s.difficulty = 1;
      s.extranonce1.clear();
      s.extranonce2_size = 0;
    });
    if (spec_.version_rolling)
      write(stratum::encode_configure(request(Method::configure),
                                      ctx_.options.requested_version_mask));
    write(stratum::encode_subscribe(request(Method::subscribe), spec_.user_agent, ""));
    read(generation_);
  }

  // Closes the connection; handlers of the old one see a new generation and do nothing.
  void disconnect() {
    ++generation_;
    asio::error_code ignored;
    socket_.close(ignored);
    scan_.stop();
    update([](SimMinerStats& s) { s.connected = s.subscribed = s.authorized = s.hashing = false; });
  }

  void retry_after(std::chrono::milliseconds wait) {
    retry_.expires_after(wait);
    retry_.async_wait([this](asio::error_code ec) {
      if (!ec && !ctx_.stopping) connect();
    });
  }

  void connect_failed(std::string reason) {
    disconnect();
    update([&](SimMinerStats& s) {
      ++s.connect_failures;
      s.last_error = std::move(reason);
    });
    if (ctx_.options.reconnect_on_drop) retry_after(ctx_.options.reconnect_backoff);
  }

  void lost(std::string reason) {
    disconnect();
    update([&](SimMinerStats& s) {
      ++s.drops;
      s.last_error = std::move(reason);
    });
    if (ctx_.options.reconnect_on_drop) retry_after(ctx_.options.reconnect_backoff);
  }

  void protocol_error(std::string reason) {
    update([&](SimMinerStats& s) {
      ++s.protocol_errors;
      s.last_error = std::move(reason);
    });
  }

  std::uint64_t request(Method method) {
    const std::uint64_t id = next_id_++;
    pending_[id] = method;
    return id;
  }

  void write(std::string line) {
    out_.push_back(std::move(line));
    if (!writing_) write_next();
  }

  void write_next() {
    if (out_.empty()) {
      writing_ = false;
      return;
    }
    writing_ = true;
    const std::uint64_t gen = generation_;
    asio::async_write(socket_, asio::buffer(out_.front()),
                      [this, gen](asio::error_code ec, std::size_t) {
                        if (gen != generation_ || ctx_.stopping) return;
                        if (ec) return lost("write failed: " + ec.message());
                        out_.pop_front();
                        write_next();
                      });
  }

  void read(std::uint64_t gen) {
    socket_.async_read_some(
        asio::buffer(read_buffer_), [this, gen](asio::error_code ec, std::size_t n) {
          if (gen != generation_ || ctx_.stopping) return;
          if (ec)
            return lost(ec == asio::error::eof ? "the server closed the connection"
                                               : "read failed: " + ec.message());
          auto appended = lines_.append(std::string_view(read_buffer_.data(), n));
          if (!appended) return lost("from the server: " + appended.error().message);
          while (auto line = lines_.next_line()) {
            on_line(*line);
            if (gen != generation_) return;  // the line closed this connection
          }
          read(gen);
        });
  }

  void on_line(const std::string& line) {
    std::optional<Method> replied;
    auto message = stratum::decode_line(line, [&](std::uint64_t id) -> std::optional<Method> {
      auto it = pending_.find(id);
      if (it == pending_.end()) return std::nullopt;
      replied = it->second;
      pending_.erase(it);
      return replied;
    });
    if (!message)
      return protocol_error("unreadable line from the server (" +
                            escape_for_log(message.error().message) + "): " + escape_for_log(line));
    std::visit([&](auto& m) { handle(m, replied); }, *message);
  }

  void handle(const stratum::SubscribeReply& reply, std::optional<Method>) {
    subscribed_ = true;
    extranonce1_ = reply.extranonce1;
    extranonce2_size_ = reply.extranonce2_size;
    update([&](SimMinerStats& s) {
      s.subscribed = true;
      s.extranonce1 = stratum::to_hex(extranonce1_);
      s.extranonce2_size = extranonce2_size_;
    });
    if (spec_.extranonce_subscribe)
      write(stratum::encode_extranonce_subscribe(request(Method::extranonce_subscribe)));
    write(stratum::encode_authorize(request(Method::authorize), spec_.user, spec_.password));
    restart_work();
  }

  void handle(const stratum::ConfigureReply& reply, std::optional<Method>) {
    version_mask_ = reply.version_rolling ? reply.mask & ctx_.options.requested_version_mask : 0;
    update([&](SimMinerStats& s) {
      s.version_rolling = version_mask_ != 0;
      s.version_mask = version_mask_;
    });
    restart_work();
  }

  void handle(const stratum::ErrorReply& reply, std::optional<Method> method) {
    const std::string reason = escape_for_log(reply.reason);
    if (method == Method::subscribe) return lost("mining.subscribe refused: " + reason);
    protocol_error(std::string(stratum::method_name(method.value_or(Method::configure))) +
                   " refused: " + reason);
  }

  void handle(const stratum::BoolReply& reply, std::optional<Method> method) {
    const std::string reason = escape_for_log(reply.reason);
    if (method == Method::submit) {
      return update([&](SimMinerStats& s) {
        if (reply.accepted) {
          ++s.accepted;
        } else {
          ++s.rejected;
          s.last_reject_reason = reason;
        }
      });
    }
    if (method == Method::authorize) {
      update([&](SimMinerStats& s) { s.authorized = reply.accepted; });
      if (!reply.accepted) protocol_error("mining.authorize refused: " + reason);
    }
    // extranonce.subscribe: some pools refuse it; a firmware mines on regardless.
  }

  void handle(const stratum::SetDifficultyMsg& m, std::optional<Method>) {
    auto target = stratum::difficulty_to_target(m.difficulty);
    if (!target) return protocol_error("mining.set_difficulty: " + target.error().message);
    target_ = *target;
    scan_.set_target(target_);
    update([&](SimMinerStats& s) { s.difficulty = m.difficulty; });
  }

  void handle(const stratum::NotifyMsg& m, std::optional<Method>) {
    const auto now = SimClock::now();
    // A firmware takes the newest job at once; clean_jobs only says the old shares are stale,
    // and this miner keeps no queue of old work to drop.
    job_ = m.fields;
    update([&](SimMinerStats& s) {
      ++s.jobs;
      s.last_notify = now;
      s.last_job_id = m.fields.job_id;
    });
    restart_work();
  }

  void handle(const stratum::SetExtranonceMsg& m, std::optional<Method>) {
    extranonce1_ = m.extranonce1;
    extranonce2_size_ = m.extranonce2_size;
    update([&](SimMinerStats& s) {
      ++s.set_extranonce;
      s.extranonce1 = stratum::to_hex(extranonce1_);
      s.extranonce2_size = extranonce2_size_;
    });
    restart_work();  // the header being scanned no longer exists upstream
  }

  void handle(const stratum::SetVersionMaskMsg& m, std::optional<Method>) {
    if (!spec_.version_rolling) return;
    version_mask_ = m.mask & ctx_.options.requested_version_mask;
    update([&](SimMinerStats& s) {
      s.version_rolling = version_mask_ != 0;
      s.version_mask = version_mask_;
    });
    restart_work();
  }

  void handle(const stratum::ReconnectMsg& m, std::optional<Method>) {
    if (!m.host.empty()) host_ = m.host;
    if (m.port) port_ = *m.port;
    update([](SimMinerStats& s) { ++s.reconnects; });
    disconnect();
    retry_after(m.wait);
  }

  void handle(const stratum::GetVersionMsg& m, std::optional<Method>) {
    write(stratum::encode_string_result(m.id_json, spec_.user_agent));
  }
  void handle(const stratum::PingMsg& m, std::optional<Method>) {
    write(stratum::encode_string_result(m.id_json, "pong"));
  }
  void handle(const stratum::UnknownMethodMsg& m, std::optional<Method>) {
    if (m.id_json != "null") write(stratum::encode_error_result(m.id_json, 20, "unsupported"));
  }
  void handle(const stratum::ShowMessageMsg&, std::optional<Method>) {}

  // Starts scanning the current job with the current session state, from a fresh extranonce2.
  void restart_work() {
    if (!subscribed_ || !job_) return;
    if (!scan_.active()) bucket_.restart(SimClock::now());
    scan_.start({*job_, extranonce1_, extranonce2_size_, version_mask_}, target_,
                ++extranonce2_counter_, version_seed_);
    update([](SimMinerStats& s) { s.hashing = true; });
  }

  FleetContext& ctx_;
  SimMinerSpec spec_;
  tcp::socket socket_;
  asio::steady_timer retry_;
  std::string host_;
  std::uint16_t port_;
  std::uint64_t generation_ = 0;
  stratum::LineBuffer lines_;
  std::array<char, 4096> read_buffer_{};
  std::deque<std::string> out_;
  bool writing_ = false;
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Method> pending_;

  bool subscribed_ = false;
  stratum::Bytes extranonce1_;
  std::size_t extranonce2_size_ = 0;
  std::uint32_t version_mask_ = 0;
  std::optional<stratum::JobFields> job_;
  Uint256 target_ = *stratum::difficulty_to_target(1);
  sim::NonceScan scan_;
  sim::TokenBucket bucket_;
  std::uint64_t version_seed_;
  std::uint64_t extranonce2_counter_ = 0;
  std::vector<sim::FoundShare> found_;

  SimMinerStats stats_;  // guarded by ctx_.mutex
};

}  // namespace

struct SimFleet::Impl {
  FleetContext ctx;
  std::vector<std::unique_ptr<Miner>> miners;
  asio::steady_timer tick{ctx.io};
  std::thread thread;
  std::string scanner_name;

  // The hashing pass of one slice: it serves miners round robin from `cursor`, yields to the
  // network every yield_every, and ends at the slice's duty deadline (the rest wait a pass).
  SimClock::time_point next_tick{};
  SimClock::time_point pass_deadline{};
  std::uint64_t pass = 0;
  std::size_t pass_left = 0;
  std::size_t cursor = 0;

  void schedule_tick() {
    const auto now = SimClock::now();
    next_tick = next_tick + ctx.options.slice < now ? now + ctx.options.slice
                                                    : next_tick + ctx.options.slice;
    tick.expires_at(next_tick);
    tick.async_wait([this](asio::error_code ec) {
      if (ec || ctx.stopping) return;
      const auto start = SimClock::now();
      pass_deadline = start + std::chrono::duration_cast<SimClock::duration>(ctx.options.slice *
                                                                             ctx.options.hash_duty);
      pass_left = miners.size();
      hash_some(++pass);
      schedule_tick();
    });
  }

  void hash_some(std::uint64_t pass_id) {
    if (pass_id != pass || ctx.stopping) return;
    auto now = SimClock::now();
    const auto yield_at = std::min(now + ctx.options.yield_every, pass_deadline);
    while (pass_left > 0) {
      if (now >= pass_deadline) {
        pass_left = 0;
        return;
      }
      if (now >= yield_at) {
        asio::post(ctx.io, [this, pass_id] { hash_some(pass_id); });
        return;
      }
      Miner& miner = *miners[cursor];
      cursor = (cursor + 1) % miners.size();
      --pass_left;
      miner.hash(now, yield_at);
      now = SimClock::now();
    }
  }
};

Result<std::unique_ptr<SimFleet>> SimFleet::start(std::string host, std::uint16_t port,
                                                  std::vector<SimMinerSpec> specs,
                                                  SimFleetOptions options) {
  if (specs.empty()) return make_error("sim fleet: no miners given");
  for (std::size_t i = 0; i < specs.size(); ++i)
    if (auto why = check_spec(specs[i]); !why.empty())
      return make_error("sim miner " + std::to_string(i) + " (" + specs[i].user + "): " + why);
  if (auto why = check_options(options); !why.empty())
    return make_error("sim fleet options: " + why);
  auto scanner = make_scanner(options.scanner);
  if (!scanner) return make_error("sim fleet: " + scanner.error().message);

  auto impl = std::make_unique<Impl>();
  impl->ctx.options = std::move(options);
  impl->ctx.scanner = std::move(*scanner);
  impl->scanner_name = std::string(impl->ctx.scanner->name());
  for (std::size_t i = 0; i < specs.size(); ++i)
    impl->miners.push_back(std::make_unique<Miner>(impl->ctx, i, std::move(specs[i]), host, port));
  Impl* raw = impl.get();
  asio::post(raw->ctx.io, [raw] {
    for (auto& miner : raw->miners) miner->connect();
    raw->next_tick = SimClock::now();
    raw->schedule_tick();
  });
  raw->thread = std::thread([raw] { raw->ctx.io.run(); });
  return std::unique_ptr<SimFleet>(new SimFleet(std::move(impl)));
}

SimFleet::SimFleet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

SimFleet::~SimFleet() {
  stop();
}

void SimFleet::stop() {
  if (!impl_->thread.joinable()) return;
  Impl* raw = impl_.get();
  asio::post(raw->ctx.io, [raw] {
    raw->ctx.stopping = true;
    raw->tick.cancel();
    for (auto& miner : raw->miners) miner->shutdown();
    raw->ctx.io.stop();
  });
  impl_->thread.join();
}

std::vector<SimMinerStats> SimFleet::stats() const {
  std::lock_guard lock(impl_->ctx.mutex);
  std::vector<SimMinerStats> out;
  out.reserve(impl_->miners.size());
  for (const auto& miner : impl_->miners) out.push_back(miner->stats_locked());
  return out;
}

SimMinerStats SimFleet::stats(std::size_t miner) const {
  std::lock_guard lock(impl_->ctx.mutex);
  return impl_->miners.at(miner)->stats_locked();
}

SimFleetTotals SimFleet::totals() const {
  std::lock_guard lock(impl_->ctx.mutex);
  SimFleetTotals t;
  t.miners = impl_->miners.size();
  for (const auto& miner : impl_->miners) {
    const SimMinerStats& s = miner->stats_locked();
    t.connected += s.connected;
    t.authorized += s.authorized;
    t.with_job += s.hashing;
    t.hashes += s.hashes;
    t.hashes_missed += s.hashes_missed;
    t.shares_submitted += s.shares_submitted;
    t.accepted += s.accepted;
    t.rejected += s.rejected;
    t.jobs += s.jobs;
  }
  return t;
}

std::size_t SimFleet::connected() const {
  return totals().connected;
}

std::size_t SimFleet::size() const {
  return impl_->miners.size();
}

std::string SimFleet::scanner_name() const {
  return impl_->scanner_name;
}

}  // namespace ih::test
