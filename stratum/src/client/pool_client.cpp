// PoolClient: one I/O thread running the active pool link (a Session fed by a Transport),
// failover down the pool list with back-off, and a probe that takes us back to the primary.
#include "ih/stratum/client/pool_client.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <mutex>
#include <optional>
#include <thread>

#include "ih/log_escape.hpp"
#include "ih/stratum/client/backoff.hpp"
#include "ih/stratum/client/session.hpp"
#include "ih/stratum/client/warning_limiter.hpp"
#include "transport.hpp"

namespace ih::stratum {

namespace {

using Clock = std::chrono::steady_clock;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

bool same_host(const std::string& a, const std::string& b) {
  return std::equal(a.begin(), a.end(), b.begin(), b.end(),
                    [](char x, char y) { return std::tolower(x) == std::tolower(y); });
}

}  // namespace

// A connection attempt to one pool: a transport feeding that pool's session.
struct Link {
  std::size_t pool = 0;
  bool probe = false;  // connected to the primary beside an active backup; jobs held back
  std::shared_ptr<Transport> transport;
  Session* session = nullptr;  // the pool's own session: it outlives links, to resume
  std::optional<Clock::time_point> ready_since;
  bool ever_ready = false;
  bool healthy = false;  // delivered a valid job and held for watchdog.healthy_after
  WarningLimiter warnings;
  explicit Link(const PoolWatchdog& w) : warnings(w.warning_burst, w.warning_interval) {}
  ~Link() {
    if (transport) transport->close();
  }
};

struct PoolClient::Impl {
  PoolClientOptions options;
  PoolEvents events;
  asio::io_context io;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> guard;
  std::thread thread;
  std::mutex run_mutex;  // orders submit() against stop()
  std::atomic<bool> running{false};
  std::atomic<std::uint64_t> next_share_id{1};
  std::atomic<std::size_t> in_flight{0};
  asio::steady_timer tick_timer{io};
  asio::steady_timer retry_timer{io};
  asio::steady_timer probe_timer{io};
  Backoff backoff;
  Backoff probe_backoff;
  std::vector<std::unique_ptr<Session>> sessions;  // one per pool
  std::unique_ptr<Link> active;
  std::unique_ptr<Link> probe;
  std::uint64_t newest_epoch = 0;
  std::optional<PoolUrl> redirect;       // where client.reconnect sent us, for the next attempt
  std::vector<unsigned> failures;        // per pool: failed sessions in a row
  std::vector<unsigned> redirects;       // per pool: client.reconnect since it was last healthy
  std::vector<PoolHealthReason> health;  // per pool: last reported

  Impl(PoolClientOptions o, PoolEvents e)
      : options(std::move(o)),
        events(std::move(e)),
        backoff(options.backoff_initial, options.backoff_max),
        probe_backoff(options.backoff_initial, options.backoff_max) {
    for (std::size_t i = 0; i < options.pools.size(); ++i)
      sessions.push_back(std::make_unique<Session>(SessionOptions::from(options)));
    failures.assign(options.pools.size(), 0);
    redirects.assign(options.pools.size(), 0);
    health.assign(options.pools.size(), PoolHealthReason::connecting);
  }

  std::chrono::milliseconds tick_interval() const {
    const auto& w = options.watchdog;
    auto t = std::min({options.keepalive, options.request_timeout, w.handshake_timeout,
                       w.job_timeout, w.stale_after, w.healthy_after}) /
             4;
    return std::clamp(t, std::chrono::milliseconds(10), std::chrono::milliseconds(1000));
  }

  void start_tick() {
    tick_timer.expires_after(tick_interval());
    tick_timer.async_wait([this](const asio::error_code& ec) {
      if (ec || !running) return;
      const auto now = Clock::now();
      for (Link* l : {active.get(), probe.get()})
        if (l && l->session->connected()) l->session->tick(now);
      drain(active.get());
      drain(probe.get());
      maybe_mark_healthy(now);
      maybe_promote_probe(now);
      start_tick();
    });
  }

  // The pool's own trust settings, else the client-wide defaults.
  TlsSettings tls_settings(const PoolEndpoint& endpoint) const {
    TlsSettings t;
    t.ca_file = endpoint.tls_ca.empty() ? options.ca_file : endpoint.tls_ca;
    t.insecure = endpoint.tls_insecure || options.insecure_tls;
    t.fingerprint = endpoint.tls_fingerprint;
    return t;
  }

  std::unique_ptr<Link> open(std::size_t pool, bool as_probe, const PoolUrl& url) {
    auto link = std::make_unique<Link>(options.watchdog);
    link->pool = pool;
    link->probe = as_probe;
    link->session = sessions[pool].get();
    Link* raw = link.get();
    Transport::Handlers h;
    h.on_connected = [this, raw] {
      raw->session->connected(Clock::now(), raw->pool, options.pools[raw->pool], newest_epoch);
      drain(raw);
    };
    h.on_bytes = [this, raw](std::string_view bytes) {
      raw->session->received(bytes, Clock::now());
      drain(raw);
    };
    h.on_closed = [this, raw](const std::string& reason) {
      link_closed(raw, reason, {}, PoolHealthReason::disconnected);
    };
    const TlsSettings tls = tls_settings(options.pools[pool]);
    link->transport = std::make_shared<Transport>(io, url, tls, std::move(h));
    if (url.tls && tls.insecure)
      spdlog::warn("pool {} {}: TLS certificate verification is OFF (--pool-insecure)", pool,
                   url.to_string());
    spdlog::info("pool {}: connecting to {}{}", pool, url.to_string(),
                 as_probe ? " (probing the primary)" : "");
    link->transport->start(options.request_timeout);
    return link;
  }

  void connect_active(std::size_t pool) {
    PoolUrl url;
    if (redirect) {
      url = *redirect;
      redirect.reset();
    } else {
      auto parsed = parse_pool_url(options.pools[pool].url);
      if (!parsed) {
        spdlog::error("pool {}: {}", pool, parsed.error().message);
        return schedule_active((pool + 1) % options.pools.size(), backoff.next());
      }
      url = *parsed;
    }
    active = open(pool, false, url);
  }

  void schedule_active(std::size_t pool, std::chrono::milliseconds delay) {
    spdlog::info("pool {}: next attempt in {} ms", pool, delay.count());
    retry_timer.expires_after(delay);
    retry_timer.async_wait([this, pool](const asio::error_code& ec) {
      if (!ec && running) connect_active(pool);
    });
  }

  // Runs a link's actions; may destroy the link (disconnect), so callers touch it no more.
  void drain(Link* link) {
    if (!link) return;
    std::optional<action::Disconnect> disconnect;
    for (auto& a : link->session->take_actions()) {
      std::visit(Overloaded{
                     [&](action::Write& w) { link->transport->write(std::move(w.bytes)); },
                     [&](action::NewJob& j) {
                       newest_epoch = std::max(newest_epoch, j.job.epoch);
                       if (link->probe) return;
                       if (events.on_job) events.on_job(j.job);
                       if (!link->healthy && health[link->pool] != PoolHealthReason::mining)
                         report(link->pool, PoolHealthReason::mining, "authorized, jobs arrive");
                     },
                     [&](action::SubmitDone& s) { finish(s.result); },
                     [&](action::Ready&) { link_ready(link); },
                     [&](action::PoolMessage& m) {
                       if (auto line = link->warnings.admit(m.text, Clock::now()))
                         spdlog::info("pool {} says: {}", link->pool, *line);
                       if (events.on_pool_message) events.on_pool_message(m.text);
                     },
                     [&](action::Warning& w) {
                       if (auto line = link->warnings.admit(w.text, Clock::now()))
                         spdlog::warn("pool {}: {}", link->pool, *line);
                     },
                     [&](action::Alarm& alarm) {
                       if (alarm.reason == PoolHealthReason::mining)
                         spdlog::info("pool {}: {}", link->pool, alarm.text);
                       else
                         spdlog::error("pool {}: {}", link->pool, alarm.text);
                       if (!link->probe) report(link->pool, alarm.reason, alarm.text);
                     },
                     [&](action::Disconnect& d) { disconnect = std::move(d); },
                 },
                 a);
    }
    // A disconnect ends the link; handled last so the actions before it still ran.
    if (disconnect) {
      link->transport->close();
      link_closed(link, disconnect->reason, std::move(disconnect->redirect), disconnect->why);
    }
  }

  void link_ready(Link* link) {
    link->ready_since = Clock::now();
    link->ever_ready = true;
    if (link->probe) {
      spdlog::info("pool {}: the primary answers again; switching after {} ms", link->pool,
                   options.primary_healthy_for.count());
      return;
    }
    // The back-off is not reset here: only a session that also delivers a valid job and holds
    // for watchdog.healthy_after counts (maybe_mark_healthy), so authorize-then-drop backs off.
    spdlog::info("pool {}: subscribed and authorized", link->pool);
    if (events.on_connection) events.on_connection(link->pool, true, "ready");
    if (link->pool != 0 && !probe) schedule_probe(std::chrono::milliseconds(0));
  }

  void finish(const SubmitResult& r) {
    if (in_flight > 0) --in_flight;
    if (events.on_submit_result) events.on_submit_result(r);
  }

  void report(std::size_t pool, PoolHealthReason reason, std::string detail,
              std::chrono::milliseconds retry_in = {}) {
    health[pool] = reason;
    if (!events.on_health) return;
    PoolHealth h;
    h.pool = pool;
    h.reason = reason;
    h.detail = std::move(detail);
    h.failures = failures[pool];
    h.retry_in = retry_in;
    events.on_health(h);
  }

  void maybe_mark_healthy(Clock::time_point now) {
    Link* l = active.get();
    if (!l || l->healthy || !l->ready_since || !l->session->first_job_at()) return;
    if (now - *l->ready_since < options.watchdog.healthy_after) return;
    l->healthy = true;
    backoff.reset();
    failures[l->pool] = 0;
    redirects[l->pool] = 0;
    report(l->pool, PoolHealthReason::healthy, "delivering valid jobs");
  }

  // What ended a link, when the session did not say: how far it got.
  static PoolHealthReason classify(const Link& link, bool tcp_up, PoolHealthReason why) {
    if (why != PoolHealthReason::disconnected) return why;
    if (!tcp_up) return PoolHealthReason::connect_failed;
    return link.healthy ? PoolHealthReason::disconnected : PoolHealthReason::dropped_early;
  }

  void link_closed(Link* link, const std::string& reason, std::optional<ReconnectMsg> redirect_to,
                   PoolHealthReason why);
  void schedule_probe(std::chrono::milliseconds delay);
  void maybe_promote_probe(Clock::time_point now);
  void shutdown();
};

void PoolClient::Impl::link_closed(Link* link, const std::string& reason,
                                   std::optional<ReconnectMsg> redirect_to, PoolHealthReason why) {
  const bool tcp_up = link->session->connected();
  link->transport->close();
  link->session->disconnected(reason);
  const bool was_probe = link->probe;
  const std::size_t pool = link->pool;
  const bool was_ready = link->ever_ready;
  bool give_way = !link->healthy || is_failure(why);
  why = classify(*link, tcp_up, why);
  const PoolUrl url = link->transport->url();
  if (auto rest = link->warnings.flush()) spdlog::warn("pool {}: {}", pool, *rest);
  drain(link);  // submit results of the lost connection
  if (was_probe) {
    spdlog::info("pool {}: probe failed ({}): {}", pool, pool_health_name(why), reason);
    probe.reset();
    if (running) schedule_probe(probe_backoff.next());
    return;
  }
  spdlog::warn("pool {}: {} ({}): {}", pool, was_ready ? "disconnected" : "connection failed",
               pool_health_name(why), reason);
  if (events.on_connection) events.on_connection(pool, false, reason);
  active.reset();
  if (!running) return;
  // The primary is already up beside us with work: take it now.
  if (probe && probe->ready_since && probe->session->first_job_at()) {
    probe->ready_since = Clock::time_point{};
    return maybe_promote_probe(Clock::now());
  }
  if (probe) {  // not up yet: the normal order of attempts takes over
    probe->transport->close();
    probe->session->disconnected("the backup failed");
    (void)probe->session->take_actions();
    probe.reset();
  }

  // Every reconnect, a redirect included, goes through the back-off (reset only by a healthy
  // session). A redirect to where we already are counts as a failure after the first.
  if (redirect_to) {
    PoolUrl target = url;
    if (!redirect_to->host.empty()) target.host = redirect_to->host;
    if (redirect_to->port) target.port = *redirect_to->port;
    const bool same_place = same_host(target.host, url.host) && target.port == url.port;
    if (same_place && ++redirects[pool] > 1) {
      why = PoolHealthReason::redirect_loop;
      give_way = true;
    } else {
      give_way = false;
      if (same_host(target.host, url.host) || options.follow_redirects) {
        redirect = target;
      } else {
        spdlog::warn("pool {}: ignoring a redirect to another host ({}); reconnecting to {}", pool,
                     escape_for_log(target.host), url.host);
      }
    }
  }
  std::chrono::milliseconds delay = backoff.next();
  if (redirect_to && !give_way)
    delay = std::max(delay, std::chrono::milliseconds(redirect_to->wait));
  std::size_t next = pool;
  if (give_way) {
    ++failures[pool];
    next = (pool + 1) % options.pools.size();
  }
  report(pool, why, reason, delay);
  schedule_active(next, delay);
}

void PoolClient::Impl::schedule_probe(std::chrono::milliseconds delay) {
  probe_timer.expires_after(delay);
  probe_timer.async_wait([this](const asio::error_code& ec) {
    if (ec || !running || probe || !active || active->pool == 0) return;
    auto url = parse_pool_url(options.pools[0].url);
    if (!url) return;
    probe = open(0, true, *url);
  });
}

void PoolClient::Impl::maybe_promote_probe(Clock::time_point now) {
  if (!probe || !probe->ready_since) return;
  const bool promptly = *probe->ready_since == Clock::time_point{};
  if (!probe->session->first_job_at()) return;  // authorized is not enough: it must give work
  if (!promptly && now - *probe->ready_since < options.primary_healthy_for) return;
  spdlog::info("pool 0: healthy for {} ms; leaving the backup",
               options.primary_healthy_for.count());
  probe_backoff.reset();
  backoff.reset();
  if (active) {
    Link* old = active.get();
    old->transport->close();
    old->session->disconnected("back to the primary pool");
    drain(old);
    if (events.on_connection) events.on_connection(old->pool, false, "back to the primary pool");
  }
  active = std::move(probe);
  active->probe = false;
  if (promptly) active->ready_since = now;
  active->healthy = !promptly;  // held primary_healthy_for with work beside the backup
  failures[0] = 0;
  report(0, active->healthy ? PoolHealthReason::healthy : PoolHealthReason::mining,
         "back on the primary pool");
  active->session->renew_epoch(newest_epoch);
  if (events.on_connection) events.on_connection(0, true, "ready");
  drain(active.get());
}

void PoolClient::Impl::shutdown() {
  running = false;
  tick_timer.cancel();
  retry_timer.cancel();
  probe_timer.cancel();
  for (auto* slot : {&active, &probe}) {
    if (!*slot) continue;
    Link* l = slot->get();
    l->transport->close();
    l->session->disconnected("client stopped");
    for (auto& a : l->session->take_actions())
      if (auto* s = std::get_if<action::SubmitDone>(&a)) finish(s->result);
    slot->reset();
  }
  guard.reset();
}

PoolClient::PoolClient(PoolClientOptions options, PoolEvents events)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(events))) {}

PoolClient::~PoolClient() {
  stop();
}

void PoolClient::start() {
  if (impl_->running || impl_->thread.joinable()) return;
  if (impl_->options.pools.empty()) {
    spdlog::error("no pool configured");
    return;
  }
  impl_->io.restart();
  impl_->running = true;
  impl_->guard.emplace(impl_->io.get_executor());
  asio::post(impl_->io, [impl = impl_.get()] {
    impl->start_tick();
    impl->connect_active(0);
  });
  impl_->thread = std::thread([impl = impl_.get()] { impl->io.run(); });
}

void PoolClient::stop() {
  if (!impl_->thread.joinable()) return;
  {
    std::lock_guard lock(impl_->run_mutex);
    impl_->running = false;
  }
  asio::post(impl_->io, [impl = impl_.get()] { impl->shutdown(); });
  impl_->thread.join();
  impl_->running = false;
}

std::uint64_t PoolClient::submit(const Share& share) {
  const std::uint64_t id = impl_->next_share_id++;
  ++impl_->in_flight;
  std::lock_guard lock(impl_->run_mutex);
  if (!impl_->running) {
    SubmitResult r;
    r.share_id = id;
    r.outcome = SubmitOutcome::stale;
    r.reason = "the pool client is not running";
    impl_->finish(r);
    return id;
  }
  asio::post(impl_->io, [impl = impl_.get(), id, share] {
    if (impl->active) {
      impl->active->session->submit(id, share, Clock::now());
      impl->drain(impl->active.get());
      return;
    }
    SubmitResult r;
    r.share_id = id;
    r.outcome = SubmitOutcome::stale;
    r.reason = "not connected to any pool";
    impl->finish(r);
  });
  return id;
}

void PoolClient::suggest_difficulty(double difficulty) {
  std::lock_guard lock(impl_->run_mutex);
  if (!impl_->running) return;
  asio::post(impl_->io, [impl = impl_.get(), difficulty] {
    for (auto& s : impl->sessions) s->suggest_difficulty(difficulty, Clock::now());
    impl->drain(impl->active.get());
    impl->drain(impl->probe.get());
  });
}

void PoolClient::add_worker(std::string name) {
  std::lock_guard lock(impl_->run_mutex);
  if (!impl_->running) {  // no I/O thread yet: recorded, authorized once connected
    for (auto& s : impl_->sessions) s->add_worker(name, Clock::now());
    return;
  }
  asio::post(impl_->io, [impl = impl_.get(), name = std::move(name)] {
    for (auto& s : impl->sessions) s->add_worker(name, Clock::now());
    impl->drain(impl->active.get());
    impl->drain(impl->probe.get());
  });
}

std::size_t PoolClient::pending_submits() const {
  return impl_->in_flight;
}

}  // namespace ih::stratum
