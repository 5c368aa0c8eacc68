#include "proxy/proxy_service.hpp"

#include <spdlog/spdlog.h>

#include <time.h>

#include <asio.hpp>
#include <deque>
#include <future>
#include <map>
#include <set>

#include "ih/kernels/uint256.hpp"
#include "ih/log_escape.hpp"
#include "ih/stratum/client/pool_client.hpp"
#include "ih/stratum/server/server_session.hpp"
#include "proxy/downstream_connection.hpp"
#include "proxy/extranonce_split.hpp"
#include "proxy/hashrate_estimate.hpp"
#include "proxy/router.hpp"

namespace ih::proxy {

namespace {

using Clock = std::chrono::steady_clock;
using stratum::server::JobBook;
using stratum::server::ServerSession;

constexpr std::size_t kJobsKept = 16;
constexpr auto kReconnectGrace = std::chrono::seconds(60);  // a moved miner's new connection
constexpr auto kEstimateWindow = std::chrono::minutes(10);

// What forwarding a share needs from the upstream job it was found on.
struct UpstreamJob {
  stratum::JobFields fields;
  std::uint64_t epoch = 0;
  Uint256 share_target;
  double difficulty = 1;
  std::uint32_t version_mask = 0;
};

}  // namespace

struct ProxyService::Impl : std::enable_shared_from_this<ProxyService::Impl> {
  using Connection = DownstreamConnection;

  struct Upstream {
    ProxyPool config;
    std::unique_ptr<stratum::PoolClient> client;
    bool retired = false;  // removed by a reload: drained, then stopped
    bool connected = false;
    std::string problem = "not connected yet";
    JobBook book;
    std::deque<UpstreamJob> jobs;  // newest last
    stratum::Bytes extranonce1;
    std::optional<ExtranonceSplit> split;
    double difficulty = 0;
    std::set<std::uint64_t> prefixes_used;
    std::uint64_t next_prefix = 0;
    std::uint64_t forwarded = 0, accepted = 0, rejected = 0, job_count = 0;

    bool usable() const { return !retired && connected && split && !jobs.empty(); }
    const UpstreamJob* find(std::string_view id) const {
      for (auto it = jobs.rbegin(); it != jobs.rend(); ++it)
        if (it->fields.job_id == id) return &*it;
      return nullptr;
    }
  };

  struct Pending {  // a forwarded share waiting for the pool's verdict
    std::uint64_t connection = 0;
    ForwardedShare share;
  };

  ProxyOptions options;
  asio::io_context io;
  asio::ip::tcp::acceptor acceptor{io};
  asio::steady_timer tick_timer{io};
  asio::steady_timer rebalance_timer{io};
  std::thread thread;
  std::vector<std::unique_ptr<Upstream>> pools;
  std::map<std::uint64_t, std::shared_ptr<Connection>> connections;
  std::map<std::pair<std::size_t, std::uint64_t>, Pending> pending;  // (pool, share id)
  std::map<std::string, std::pair<std::size_t, Clock::time_point>> moved_by_ip;
  std::uint64_t next_connection = 1;
  std::uint64_t connections_total = 0, rebalances = 0, reloads = 0;
  Clock::time_point started = Clock::now();
  Clock::time_point last_no_pool_warning{};
  std::uint16_t bound_port = 0;
  std::vector<PoolSplit> last_splits;  // the router's latest desired / assigned per pool

  explicit Impl(ProxyOptions o) : options(std::move(o)) {}

  // ---- upstream ---------------------------------------------------------------------------

  void add_pool(const ProxyPool& config) {
    auto up = std::make_unique<Upstream>();
    up->config = config;
    const std::size_t index = pools.size();
    stratum::PoolClientOptions o;
    stratum::PoolEndpoint e;
    e.url = config.url();
    e.user = config.worker_id.empty() ? "proxy" : config.worker_id;
    e.password = "x";
    o.pools = {e};
    o.extranonce_subscribe = true;
    o.backoff_initial = options.backoff_initial;
    o.backoff_max = options.backoff_max;
    o.request_timeout = options.config.routing.pool_read_timeout_seconds;
    o.user_agent = "infinite-hashes-proxy/0.1";
    std::weak_ptr<Impl> weak = weak_from_this();
    stratum::PoolEvents ev;
    ev.on_job = [weak, index](const stratum::Job& job) {
      if (auto self = weak.lock())
        asio::post(self->io, [self, index, job] { self->on_job(index, job); });
    };
    ev.on_submit_result = [weak, index](const stratum::SubmitResult& r) {
      if (auto self = weak.lock())
        asio::post(self->io, [self, index, r] { self->on_result(index, r); });
    };
    ev.on_connection = [weak, index](std::size_t, bool is_up, std::string_view reason) {
      if (auto self = weak.lock())
        asio::post(self->io, [self, index, is_up, why = std::string(reason)] {
          self->on_connection(index, is_up, why);
        });
    };
    up->client = std::make_unique<stratum::PoolClient>(std::move(o), std::move(ev));
    pools.push_back(std::move(up));
    pools.back()->client->start();
  }

  void on_connection(std::size_t index, bool up, const std::string& reason) {
    Upstream& p = *pools[index];
    if (p.retired) return;
    p.connected = up;
    if (!up) {
      p.problem = reason.empty() ? "disconnected" : reason;
      p.jobs.clear();
      p.book.clear();
      spdlog::warn("proxy: pool {} ({}) down: {}", p.config.name, p.config.url(),
                   escape_for_log(p.problem));
      rebalance_now();  // its workers go elsewhere now, not at the next interval
    } else {
      spdlog::info("proxy: pool {} ({}) connected as {}", p.config.name, p.config.url(),
                   p.config.worker_id);
    }
  }

  void on_job(std::size_t index, const stratum::Job& job) {
    Upstream& p = *pools[index];
    if (p.retired) return;
    const bool was_usable = p.usable();
    const bool new_extranonce =
        job.extranonce1 != p.extranonce1 || !p.split ||
        p.split->prefix_size + p.split->downstream_size != job.extranonce2_size;
    if (new_extranonce) {
      auto split = plan_extranonce_split(job.extranonce2_size, options.config.extranonce2_size);
      if (!split) {
        p.split.reset();
        p.problem = "cannot split its extranonce: " + split.error().message;
        spdlog::error("proxy: pool {}: {}", p.config.name, p.problem);
        return;
      }
      p.split = *split;
      p.extranonce1 = job.extranonce1;
      p.prefixes_used.clear();
    }
    p.problem.clear();
    p.book.add(job.fields);
    p.jobs.push_back(
        UpstreamJob{job.fields, job.epoch, job.share_target, job.difficulty, job.version_mask});
    if (job.fields.clean_jobs) {
      while (p.jobs.size() > 1) p.jobs.pop_front();
    }
    while (p.jobs.size() > kJobsKept) p.jobs.pop_front();
    ++p.job_count;
    p.difficulty = job.difficulty;
    for (auto& [id, c] : connections) {
      if (c->pool != index || !c->session) continue;
      if (new_extranonce) {  // the pool gave a new extranonce1 (reconnect): re-split
        move_to(*c, index, "the pool's extranonce changed");
        continue;
      }
      c->send(c->session->set_max_difficulty(job.difficulty));
      c->send(c->session->on_job(job.fields));
    }
    if (!was_usable && p.usable()) rebalance_now();
  }

  void on_result(std::size_t index, const stratum::SubmitResult& r) {
    auto it = pending.find({index, r.share_id});
    if (it == pending.end()) return;
    Pending done = std::move(it->second);
    pending.erase(it);
    Upstream& p = *pools[index];
    const bool ok = r.outcome == stratum::SubmitOutcome::accepted;
    ok ? ++p.accepted : ++p.rejected;
    done.share.accepted = ok;
    done.share.reason = r.reason;
    if (auto c = connections.find(done.connection); c != connections.end()) {
      if (ok) {
        ++c->second->up_accepted;
        c->second->accepted_difficulty += done.share.difficulty;
      } else {
        ++c->second->up_rejected;
      }
    }
    if (!ok)
      spdlog::warn("proxy: pool {} rejected a share of {}: {}", p.config.name,
                   escape_for_log(done.share.downstream_worker), escape_for_log(r.reason));
    if (options.on_forwarded) options.on_forwarded(done.share);
  }

  // ---- downstream -------------------------------------------------------------------------

  void accept() {
    acceptor.async_accept([this](asio::error_code ec, asio::ip::tcp::socket socket) {
      if (ec) return;  // closed
      auto c = std::make_shared<Connection>(
          std::move(socket), next_connection++,
          [this](Connection& from, std::string_view line) { on_line(from, line); });
      ++connections_total;
      const auto pool = pool_for_new_connection(c->remote_ip);
      if (!pool) {
        const auto now = Clock::now();
        if (now - last_no_pool_warning > std::chrono::seconds(10)) {
          spdlog::warn("proxy: no upstream pool is ready; refusing miners until one is");
          last_no_pool_warning = now;
        }
        c->close();
      } else {
        bind(*c, *pool);
        connections.emplace(c->id, c);
        c->read();
      }
      accept();
    });
  }

  stratum::server::ServerOptions session_options(const Upstream& p) const {
    stratum::server::ServerOptions o;
    o.min_difficulty = options.min_difficulty;
    o.max_difficulty = std::max(p.difficulty, options.min_difficulty);
    o.initial_difficulty = std::min(options.initial_difficulty, o.max_difficulty);
    o.seconds_per_share = 60.0 / std::max(options.shares_per_minute, 0.01);
    o.vardiff = true;
    o.honor_suggested_difficulty = true;
    o.version_mask = p.jobs.empty() ? 0 : p.jobs.back().version_mask;
    return o;
  }

  std::uint64_t take_prefix(Upstream& p) {
    const std::uint64_t n = p.split->prefixes();
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::uint64_t v = (p.next_prefix + i) % n;
      if (!p.prefixes_used.count(v)) {
        p.prefixes_used.insert(v);
        p.next_prefix = (v + 1) % n;
        return v;
      }
    }
    return p.next_prefix;  // unreachable: callers check has_free_prefix
  }

  static bool has_free_prefix(const Upstream& p) {
    return p.split && p.prefixes_used.size() < p.split->prefixes();
  }

  // First binding of a new connection (before subscribe: the reply carries the extranonce).
  void bind(Connection& c, std::size_t index) {
    Upstream& p = *pools[index];
    c.pool = index;
    c.prefix = take_prefix(p);
    c.session = std::make_unique<ServerSession>(
        downstream_extranonce1(p.extranonce1, c.prefix, p.split->prefix_size),
        p.split->downstream_size, session_options(p), &p.book, Clock::now());
  }

  void release_prefix(Connection& c) {
    if (c.session) pools[c.pool]->prefixes_used.erase(c.prefix);
  }

  void name_upstream(Connection& c) {
    Upstream& p = *pools[c.pool];
    c.upstream_name = upstream_worker_name(p.config, c.name);
    p.client->add_worker(c.upstream_name);
  }

  // Moves a working miner to another pool (or re-splits on the same one).
  void move_to(Connection& c, std::size_t index, std::string_view why) {
    Upstream& to = *pools[index];
    if (!to.usable() || !has_free_prefix(to)) return;
    release_prefix(c);
    const std::size_t from = c.pool;
    c.pool = index;
    c.prefix = take_prefix(to);
    ++c.moves;
    c.moved_at = Clock::now();
    if (!c.name.empty()) name_upstream(c);
    std::vector<std::string> lines;
    const bool in_place = c.session->rebind(
        &to.book, downstream_extranonce1(to.extranonce1, c.prefix, to.split->prefix_size),
        to.split->downstream_size, lines);
    spdlog::info("proxy: {} ({}) {} -> {}: {}{}", escape_for_log(c.name), c.remote,
                 pools[from]->config.name, to.config.name, why,
                 in_place ? "" : " (client.reconnect: it did not subscribe to extranonce)");
    if (in_place) {
      c.send(c.session->set_max_difficulty(std::max(to.difficulty, options.min_difficulty)));
      c.send(lines);
      return;
    }
    // It cannot take a new extranonce on this connection: it reconnects, and its next
    // connection from the same address lands on the new pool.
    moved_by_ip[c.remote_ip] = {index, Clock::now()};
    c.send({R"({"id":null,"method":"client.reconnect","params":[]})"});
    c.leaving = true;
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::seconds(1));
    timer->async_wait([timer, self = c.shared_from_this()](asio::error_code) { self->close(); });
  }

  void on_line(Connection& c, std::string_view line) {
    const auto now = Clock::now();
    auto actions = c.session->on_line(line, now);
    if (c.name.empty() && c.session->authorized()) {
      c.name = *c.session->workers().begin();
      name_upstream(c);
      spdlog::info("proxy: worker {} ({}, {}) on pool {}", escape_for_log(c.name), c.remote,
                   escape_for_log(c.session->user_agent()), pools[c.pool]->config.name);
    }
    if (!actions.protocol_error.empty())
      spdlog::debug("proxy: {}: {}", c.remote, escape_for_log(actions.protocol_error));
    if (actions.rejection) {
      ++c.invalid;
      spdlog::debug("proxy: {} share refused: {}", escape_for_log(c.name),
                    escape_for_log(actions.rejection->reason));
    }
    if (actions.share) {
      ++c.valid;
      c.estimate.add_share(actions.share->difficulty, now);
      forward(c, *actions.share);
    }
    c.send(actions.lines);
  }

  // A share valid at the miner's difficulty goes upstream only when it meets the pool's.
  void forward(Connection& c, const stratum::server::AcceptedShare& s) {
    Upstream& p = *pools[c.pool];
    const UpstreamJob* job = p.find(s.job_id);
    if (job == nullptr || !p.split || !hash_meets_target(s.hash, job->share_target)) return;
    if ((s.fields.version_bits & ~job->version_mask) != 0) return;  // cannot happen: mask ⊆
    stratum::Share share;
    share.job_id = s.job_id;
    share.extranonce2 = upstream_extranonce2(c.prefix, p.split->prefix_size, s.fields.extranonce2);
    share.ntime = s.fields.ntime;
    share.nonce = s.fields.nonce;
    share.version_bits = s.fields.version_bits;
    share.epoch = job->epoch;
    share.worker = c.upstream_name;
    ForwardedShare record;
    record.pool_url = p.config.url();
    record.upstream_worker = c.upstream_name;
    record.downstream_worker = c.name;
    record.job = job->fields;
    record.extranonce1 = p.extranonce1;
    record.extranonce2 = share.extranonce2;
    record.header = s.header;
    record.hash = s.hash;
    record.extranonce2_size = p.split->prefix_size + p.split->downstream_size;
    record.version_mask = job->version_mask;
    record.found_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
    record.difficulty = job->difficulty;
    const std::uint64_t id = p.client->submit(share);
    ++p.forwarded;
    ++c.forwarded;
    pending[{c.pool, id}] = Pending{c.id, std::move(record)};
  }

  // ---- routing ----------------------------------------------------------------------------

  std::vector<PoolState> router_pools() const {
    std::vector<PoolState> out;
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const Upstream& p = *pools[i];
      if (p.retired) continue;  // its workers count as on a pool no longer configured
      PoolState r;
      r.index = i;
      r.healthy = p.usable() && has_free_prefix(p);
      r.target_hs = p.config.target_hashrate;
      r.weight = p.config.weight;
      r.backup = p.config.backup;
      out.push_back(r);
    }
    return out;
  }

  std::optional<double> estimate_of(const Connection& c, Clock::time_point now) const {
    // Inside the grace period a new worker is placed by count: too few shares to size it.
    if (now - c.connected_at < options.config.routing.grace_period_seconds) return std::nullopt;
    return c.estimate.hashrate(now, kEstimateWindow,
                               options.config.routing.min_shares_for_estimate);
  }

  std::vector<WorkerState> router_workers(Clock::time_point now) const {
    std::vector<WorkerState> out;
    for (const auto& [id, c] : connections) {
      if (!c->open || c->leaving || !c->session) continue;
      WorkerState w;
      w.id = std::to_string(id);
      w.estimated_hs = estimate_of(*c, now);
      w.current_pool = c->pool;
      if (c->moves) w.last_moved = c->moved_at;
      out.push_back(w);
    }
    return out;
  }

  std::optional<std::size_t> pool_for_new_connection(const std::string& ip) {
    const auto now = Clock::now();
    if (auto it = moved_by_ip.find(ip); it != moved_by_ip.end()) {
      const auto [pool, when] = it->second;
      moved_by_ip.erase(it);
      if (now - when < kReconnectGrace && pools[pool]->usable() && has_free_prefix(*pools[pool]))
        return pool;
    }
    auto workers = router_workers(now);
    WorkerState fresh;
    fresh.id = "new";  // connections are numbered: no clash
    workers.push_back(fresh);
    const auto plan = route(router_pools(), workers, options.config.routing, now);
    if (auto it = plan.assignment.find("new"); it != plan.assignment.end()) return it->second;
    return std::nullopt;
  }

  void rebalance_now() {
    const auto now = Clock::now();
    ++rebalances;
    const auto plan = route(router_pools(), router_workers(now), options.config.routing, now);
    last_splits = plan.splits;
    for (const auto& move : plan.moves) {
      auto it = connections.find(std::stoull(move.worker_id));
      if (it == connections.end() || !it->second->session) continue;
      if (it->second->pool == move.to) continue;
      move_to(*it->second, move.to, to_string(move.reason));
    }
  }

  // ---- housekeeping -----------------------------------------------------------------------

  void schedule_tick() {
    tick_timer.expires_after(options.tick);
    tick_timer.async_wait([this](asio::error_code ec) {
      if (ec) return;
      const auto now = Clock::now();
      for (auto it = connections.begin(); it != connections.end();) {
        Connection& c = *it->second;
        if (!c.open) {
          release_prefix(c);
          if (!c.name.empty())
            spdlog::info("proxy: worker {} ({}) disconnected", escape_for_log(c.name), c.remote);
          it = connections.erase(it);
          continue;
        }
        c.send(c.session->on_tick(now));
        ++it;
      }
      for (auto it = moved_by_ip.begin(); it != moved_by_ip.end();)
        it = now - it->second.second > kReconnectGrace ? moved_by_ip.erase(it) : std::next(it);
      schedule_tick();
    });
  }

  void schedule_rebalance() {
    rebalance_timer.expires_after(options.config.routing.rebalance_interval_seconds);
    rebalance_timer.async_wait([this](asio::error_code ec) {
      if (ec) return;
      rebalance_now();
      schedule_rebalance();
    });
  }

  void apply_reload(ProxyConfig config) {
    ++reloads;
    std::vector<ProxyPool> wanted = config.main;
    if (config.backup) wanted.push_back(*config.backup);
    std::set<std::size_t> kept;
    for (const auto& w : wanted) {
      bool found = false;
      for (std::size_t i = 0; i < pools.size(); ++i) {
        Upstream& p = *pools[i];
        if (p.retired || kept.count(i) || p.config.name != w.name) continue;
        if (p.config.url() != w.url() || p.config.worker_id != w.worker_id) break;  // replaced
        p.config = w;  // same pool: new weight / target / backup flag
        kept.insert(i);
        found = true;
        break;
      }
      if (!found) {
        add_pool(w);
        kept.insert(pools.size() - 1);
      }
    }
    options.config = std::move(config);
    std::vector<std::size_t> dropped;
    for (std::size_t i = 0; i < pools.size(); ++i)
      if (!pools[i]->retired && !kept.count(i)) {
        pools[i]->retired = true;
        dropped.push_back(i);
      }
    rebalance_now();  // the retired pools are unhealthy: their workers move now
    for (auto i : dropped) {
      spdlog::info("proxy: pool {} removed by the reload", pools[i]->config.name);
      pools[i]->client->stop();
    }
    rebalance_timer.cancel();
    schedule_rebalance();
    spdlog::info("proxy: config reloaded: {} pool(s) in use", kept.size());
  }

  ProxyStatus snapshot() const {
    const auto now = Clock::now();
    ProxyStatus s;
    s.connections_total = connections_total;
    s.rebalances = rebalances;
    s.reloads = reloads;
    s.uptime_seconds = std::chrono::duration<double>(now - started).count();
    std::map<std::size_t, std::size_t> shown;  // pool index -> position in s.pools
    for (std::size_t i = 0; i < pools.size(); ++i) {
      const Upstream& p = *pools[i];
      if (p.retired) continue;
      shown[i] = s.pools.size();
      PoolStatus ps;
      ps.name = p.config.name;
      ps.url = p.config.url();
      ps.worker_id = p.config.worker_id;
      ps.backup = p.config.backup;
      ps.connected = p.connected;
      ps.usable = p.usable();
      ps.problem = p.usable() ? "" : p.problem;
      ps.difficulty = p.difficulty;
      ps.target_hashrate = p.config.target_hashrate;
      ps.weight = p.config.weight;
      ps.forwarded = p.forwarded;
      ps.accepted = p.accepted;
      ps.rejected = p.rejected;
      ps.jobs = p.job_count;
      for (const auto& split : last_splits)
        if (split.index == i) ps.desired_hashrate = split.desired_hs;
      s.pools.push_back(ps);
    }
    for (const auto& [id, c] : connections) {
      if (!c->open || !c->session) continue;
      WorkerStatus w;
      w.connection = id;
      w.name = c->name;
      w.upstream_name = c->upstream_name;
      w.user_agent = c->session->user_agent();
      w.remote = c->remote;
      if (auto it = shown.find(c->pool); it != shown.end()) w.pool = it->second;
      w.difficulty = c->session->difficulty();
      w.hashrate = c->estimate.hashrate(now, kEstimateWindow,
                                        options.config.routing.min_shares_for_estimate);
      w.hashrate_window_seconds =
          std::chrono::duration<double>(
              std::min<Clock::duration>(now - c->connected_at, kEstimateWindow))
              .count();
      w.shares_valid = c->valid;
      w.shares_invalid = c->invalid;
      w.forwarded = c->forwarded;
      w.upstream_accepted = c->up_accepted;
      w.upstream_rejected = c->up_rejected;
      w.accepted_difficulty = c->accepted_difficulty;
      w.moves = c->moves;
      w.connected_seconds = std::chrono::duration<double>(now - c->connected_at).count();
      if (w.pool) {
        ++s.pools[*w.pool].workers;
        if (w.hashrate) s.pools[*w.pool].assigned_hashrate += *w.hashrate;
      }
      s.workers.push_back(std::move(w));
    }
    return s;
  }

  template <typename F>
  auto on_io(F f) const -> decltype(f()) {  // runs f on the I/O thread and waits for it
    std::packaged_task<decltype(f())()> task(std::move(f));
    auto result = task.get_future();
    asio::post(const_cast<asio::io_context&>(io), [&task] { task(); });
    return result.get();
  }
};

Result<std::unique_ptr<ProxyService>> ProxyService::start(ProxyOptions options) {
  if (options.config.extranonce2_size &&
      *options.config.extranonce2_size < kMinDownstreamExtranonce2)
    return make_error("[extranonce] extranonce2_size = " +
                      std::to_string(*options.config.extranonce2_size) + ": miners need at least " +
                      std::to_string(kMinDownstreamExtranonce2) + " bytes of extranonce2 to roll");
  auto impl = std::make_shared<Impl>(std::move(options));
  asio::error_code ec;
  const auto address = asio::ip::make_address(impl->options.host, ec);
  if (ec) return make_error("--bind: not an IP address: " + impl->options.host);
  const asio::ip::tcp::endpoint ep(address, impl->options.port);
  impl->acceptor.open(ep.protocol(), ec);
  if (!ec) impl->acceptor.set_option(asio::ip::tcp::acceptor::reuse_address(true), ec);
  if (!ec) impl->acceptor.bind(ep, ec);
  if (!ec) impl->acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec)
    return make_error("cannot listen on " + impl->options.host + ":" +
                      std::to_string(impl->options.port) + ": " + ec.message());
  impl->bound_port = impl->acceptor.local_endpoint().port();
  for (const auto& p : impl->options.config.main) impl->add_pool(p);
  if (impl->options.config.backup) impl->add_pool(*impl->options.config.backup);
  impl->accept();
  impl->schedule_tick();
  impl->schedule_rebalance();
  impl->thread = std::thread([raw = impl.get()] { raw->io.run(); });
  spdlog::info("proxy: listening on stratum+tcp://{}:{} for miners ({} pool(s))",
               impl->options.host, impl->bound_port, impl->pools.size());
  return std::unique_ptr<ProxyService>(new ProxyService(std::move(impl)));
}

ProxyService::ProxyService(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}

ProxyService::~ProxyService() {
  stop();
}

std::uint16_t ProxyService::port() const {
  return impl_->bound_port;
}

void ProxyService::reload(ProxyConfig config) {
  asio::post(impl_->io,
             [impl = impl_, c = std::move(config)]() mutable { impl->apply_reload(std::move(c)); });
}

void ProxyService::rebalance() {
  asio::post(impl_->io, [impl = impl_] { impl->rebalance_now(); });
}

ProxyStatus ProxyService::status() const {
  if (!impl_->thread.joinable()) return {};
  return impl_->on_io([impl = impl_.get()] { return impl->snapshot(); });
}

double ProxyService::io_thread_cpu_seconds() const {
  if (!impl_->thread.joinable()) return 0;
  return impl_->on_io([] {
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
  });
}

void ProxyService::stop() {
  if (!impl_ || !impl_->thread.joinable()) return;
  asio::post(impl_->io, [impl = impl_.get()] {
    asio::error_code ignored;
    impl->acceptor.close(ignored);
    impl->tick_timer.cancel();
    impl->rebalance_timer.cancel();
    for (auto& [id, c] : impl->connections) c->close();
  });
  // Upstream clients first (their events post here), then the I/O thread.
  for (auto& p : impl_->pools) p->client->stop();
  impl_->io.stop();
  impl_->thread.join();
  impl_->connections.clear();
}

}  // namespace ih::proxy
