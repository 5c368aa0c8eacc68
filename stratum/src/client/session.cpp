#include "ih/stratum/client/session.hpp"

#include <algorithm>

#include "ih/log_escape.hpp"
#include "ih/stratum/protocol/target.hpp"

namespace ih::stratum {

namespace {

constexpr std::size_t kLiveJobsKept = 64;

template <class... F>
struct Overloaded : F... {
  using F::operator()...;
};
template <class... F>
Overloaded(F...) -> Overloaded<F...>;

std::chrono::milliseconds since(Session::TimePoint now, Session::TimePoint then) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(now - then);
}

}  // namespace

SessionOptions SessionOptions::from(const PoolClientOptions& o) {
  SessionOptions s;
  s.version_rolling = o.version_rolling;
  s.version_mask = o.version_mask;
  s.suggest_difficulty = o.suggest_difficulty;
  s.extranonce_subscribe = o.extranonce_subscribe;
  s.user_agent = o.user_agent;
  s.keepalive = o.keepalive;
  s.request_timeout = o.request_timeout;
  s.watchdog = o.watchdog;
  return s;
}

Session::Session(SessionOptions options) : options_(std::move(options)) {}

void Session::connected(TimePoint now, std::size_t pool_index, const PoolEndpoint& endpoint,
                        std::uint64_t min_epoch) {
  connected_ = true;
  closing_ = false;
  subscribed_ = false;
  ready_ = false;
  lines_.clear();
  pending_.clear();
  extranonce1_.clear();
  extranonce2_size_ = 0;
  next_extranonce_.reset();
  version_mask_ = 0;
  difficulty_ = 1;
  difficulty_set_ = false;
  early_notify_.reset();
  last_received_ = now;
  connected_at_ = now;
  ready_at_.reset();
  first_notify_.reset();
  invalid_jobs_in_row_ = 0;
  unanswered_in_row_ = 0;
  rejects_in_row_ = 0;
  reject_alarm_ = false;
  recent_rejects_.clear();
  const bool same_pool = resume_pool_ == pool_index;
  pool_index_ = pool_index;
  workers_.clear();
  workers_.push_back(endpoint.user);
  for (const auto& w : endpoint.extra_users) workers_.push_back(w);
  for (const auto& w : added_workers_)
    if (std::find(workers_.begin(), workers_.end(), w) == workers_.end()) workers_.push_back(w);
  password_ = endpoint.password;
  suggest_difficulty_ =
      endpoint.suggest_difficulty > 0 ? endpoint.suggest_difficulty : options_.suggest_difficulty;
  epoch_ = std::max(epoch_, min_epoch);
  new_epoch();
  current_job_.reset();

  if (options_.version_rolling) {
    const auto id = next_id();
    request(Method::configure, encode_configure(id, options_.version_mask), id, now);
  }
  const auto id = next_id();
  request(Method::subscribe,
          encode_subscribe(id, options_.user_agent, same_pool ? resume_session_id_ : ""), id, now);
}

void Session::received(std::string_view bytes, TimePoint now) {
  if (!connected_ || closing_) return;
  last_received_ = now;
  auto appended = lines_.append(bytes);
  if (!appended) {
    warn("protocol error: " + appended.error().message);
    disconnect("line too long", PoolHealthReason::protocol_error);
    return;
  }
  while (!closing_) {
    auto line = lines_.next_line();
    if (!line) break;
    if (line->find_first_not_of(" \t") == std::string::npos) continue;
    handle_line(*line, now);
  }
}

void Session::handle_line(const std::string& line, TimePoint now) {
  auto decoded = decode_line(line, [this](std::uint64_t id) -> std::optional<Method> {
    auto it = pending_.find(id);
    if (it == pending_.end()) return std::nullopt;
    return it->second.method;
  });
  if (!decoded) {
    const std::string& why = decoded.error().message;
    warn("protocol error: " + escape_for_log(why) + " in: " + escape_for_log(line));
    // A job the pool meant to send but that fails validation: a few in a row and it is dead.
    if (why.rfind("mining.notify", 0) == 0 &&
        ++invalid_jobs_in_row_ >= options_.watchdog.max_invalid_jobs)
      disconnect(std::to_string(invalid_jobs_in_row_) +
                     " invalid mining.notify in a row (last: " + escape_for_log(why) + ")",
                 PoolHealthReason::invalid_jobs);
    return;
  }
  handle(*decoded, now);
}

void Session::handle(const Incoming& message, TimePoint now) {
  std::visit(
      Overloaded{
          [&](const NotifyMsg& m) { on_notify(m.fields); },
          [&](const SetDifficultyMsg& m) { on_set_difficulty(m.difficulty); },
          [&](const SetExtranonceMsg& m) { next_extranonce_ = m; },
          [&](const SetVersionMaskMsg& m) {
            version_mask_ = options_.version_rolling ? (m.mask & options_.version_mask) : 0;
            if (current_job_) {
              new_epoch();
              emit_job(current_job_->fields);
            }
          },
          [&](const ReconnectMsg& m) {
            disconnect("the pool asked to reconnect", PoolHealthReason::disconnected, m);
          },
          [&](const ShowMessageMsg& m) {
            actions_.push_back(action::PoolMessage{escape_for_log(m.text)});
          },
          [&](const GetVersionMsg& m) {
            actions_.push_back(action::Write{encode_string_result(m.id_json, options_.user_agent)});
          },
          [&](const PingMsg& m) {
            actions_.push_back(action::Write{encode_string_result(m.id_json, "pong")});
          },
          [&](const UnknownMethodMsg& m) {
            warn("the pool sent an unknown method: " + escape_for_log(m.method));
            if (m.id_json != "null")
              actions_.push_back(
                  action::Write{encode_error_result(m.id_json, 20, "unknown method")});
          },
          [&](const SubscribeReply& r) {
            pending_.erase(r.id);
            on_subscribed(r, now);
          },
          [&](const ConfigureReply& r) {
            pending_.erase(r.id);
            version_mask_ = r.version_rolling ? (r.mask & options_.version_mask) : 0;
          },
          [&](const BoolReply& r) {
            auto it = pending_.find(r.id);
            if (it == pending_.end()) return;
            const Pending p = it->second;
            pending_.erase(it);
            on_bool_reply(r, p, now);
          },
          [&](const ErrorReply& r) {
            auto it = pending_.find(r.id);
            if (it == pending_.end()) return;
            const Pending p = it->second;
            pending_.erase(it);
            if (p.method == Method::submit) {
              finish_submit(p.share_id, SubmitOutcome::rejected, escape_for_log(r.reason),
                            since(now, p.sent));
              count_submit_reply(false);
              return;
            }
            on_request_failed(p, escape_for_log(r.reason));
          },
      },
      message);
}

void Session::on_subscribed(const SubscribeReply& reply, TimePoint now) {
  if (subscribed_) return;
  subscribed_ = true;
  extranonce1_ = reply.extranonce1;
  extranonce2_size_ = reply.extranonce2_size;
  resume_pool_ = pool_index_;
  resume_session_id_ = reply.session_id;
  // Before authorize, as cgminer does: some pools fix a worker's difficulty at authorize.
  if (suggest_difficulty_ > 0) {
    const auto id = next_id();
    request(Method::suggest_difficulty, encode_suggest_difficulty(id, suggest_difficulty_), id,
            now);
  }
  for (std::size_t i = 0; i < workers_.size(); ++i) {
    const auto id = next_id();
    request(Method::authorize, encode_authorize(id, workers_[i], password_), id, now, 0, i);
  }
  if (options_.extranonce_subscribe) {
    const auto id = next_id();
    request(Method::extranonce_subscribe, encode_extranonce_subscribe(id), id, now);
  }
  if (early_notify_) {
    on_notify(*early_notify_);
    early_notify_.reset();
  }
}

void Session::on_notify(const JobFields& fields) {
  invalid_jobs_in_row_ = 0;
  if (!subscribed_) {
    early_notify_ = fields;
    return;
  }
  last_notify_ = last_received_;
  if (!first_notify_) first_notify_ = last_received_;
  bool stale_before = fields.clean_jobs;
  if (current_job_ && current_job_->fields.prevhash_notify != fields.prevhash_notify)
    stale_before = true;  // a new block even when the pool forgot clean_jobs
  if (next_extranonce_) {
    extranonce1_ = next_extranonce_->extranonce1;
    extranonce2_size_ = next_extranonce_->extranonce2_size;
    next_extranonce_.reset();
    stale_before = true;
  }
  if (stale_before && epoch_has_job_) new_epoch();
  emit_job(fields);
}

void Session::on_set_difficulty(double difficulty) {
  if (!difficulty_to_target(difficulty)) {
    warn("ignoring mining.set_difficulty " + std::to_string(difficulty) + ": no target that hard");
    return;
  }
  const bool first = !difficulty_set_;
  difficulty_ = difficulty;
  difficulty_set_ = true;
  // A pool that sends its first notify before its difficulty: that job takes it too.
  if (first && current_job_) emit_job(current_job_->fields);
}

void Session::emit_job(const JobFields& fields) {
  Job job;
  job.fields = fields;
  job.extranonce1 = extranonce1_;
  job.extranonce2_size = extranonce2_size_;
  job.difficulty = difficulty_;
  job.share_target = *difficulty_to_target(difficulty_);
  job.version_mask = version_mask_;
  job.pool_index = pool_index_;
  job.epoch = epoch_;
  epoch_has_job_ = true;
  if (std::find(live_jobs_.begin(), live_jobs_.end(), fields.job_id) == live_jobs_.end()) {
    live_jobs_.push_back(fields.job_id);
    if (live_jobs_.size() > kLiveJobsKept) live_jobs_.pop_front();
  }
  current_job_ = job;
  actions_.push_back(action::NewJob{std::move(job)});
}

void Session::new_epoch() {
  ++epoch_;
  epoch_has_job_ = false;
  live_jobs_.clear();
}

void Session::suggest_difficulty(double difficulty, TimePoint now) {
  options_.suggest_difficulty = difficulty;
  suggest_difficulty_ = difficulty;
  if (!subscribed_ || closing_ || difficulty <= 0) return;
  const auto id = next_id();
  request(Method::suggest_difficulty, encode_suggest_difficulty(id, difficulty), id, now);
}

void Session::add_worker(const std::string& name, TimePoint now) {
  if (name.empty() || std::find(workers_.begin(), workers_.end(), name) != workers_.end()) return;
  if (std::find(added_workers_.begin(), added_workers_.end(), name) == added_workers_.end())
    added_workers_.push_back(name);
  workers_.push_back(name);
  if (!subscribed_ || closing_) return;  // authorized with the others after subscribe
  const auto id = next_id();
  request(Method::authorize, encode_authorize(id, name, password_), id, now, 0,
          workers_.size() - 1);
}

void Session::renew_epoch(std::uint64_t min_epoch) {
  epoch_ = std::max(epoch_, min_epoch);
  new_epoch();
  if (current_job_) emit_job(current_job_->fields);
}

void Session::on_bool_reply(const BoolReply& reply, const Pending& p, TimePoint now) {
  if (p.method == Method::submit) {
    finish_submit(p.share_id, reply.accepted ? SubmitOutcome::accepted : SubmitOutcome::rejected,
                  reply.accepted ? "" : escape_for_log(reply.reason), since(now, p.sent));
    count_submit_reply(reply.accepted);
    return;
  }
  if (!reply.accepted) {
    on_request_failed(p, escape_for_log(reply.reason));
    return;
  }
  if (p.method == Method::authorize && p.worker_index == 0 && !ready_) {
    ready_ = true;
    ready_at_ = now;
    actions_.push_back(action::Ready{});
  }
}

void Session::count_submit_reply(bool accepted) {
  unanswered_in_row_ = 0;
  const auto& w = options_.watchdog;
  rejects_in_row_ = accepted ? 0 : rejects_in_row_ + 1;
  if (accepted && reject_alarm_) {
    reject_alarm_ = false;
    actions_.push_back(action::Alarm{PoolHealthReason::mining, "the pool accepts shares again"});
  }
  if (!accepted && !reject_alarm_ && w.reject_alarm_after > 0 &&
      rejects_in_row_ >= w.reject_alarm_after) {
    reject_alarm_ = true;
    actions_.push_back(action::Alarm{
        PoolHealthReason::rejects_shares,
        "the pool rejected the last " + std::to_string(rejects_in_row_) +
            " shares and accepted none: check the worker name, the pool's difficulty and "
            "--pool-max-reject-ratio"});
  }
  recent_rejects_.push_back(!accepted);
  while (recent_rejects_.size() > std::max<std::size_t>(w.reject_window, 1))
    recent_rejects_.pop_front();
  if (w.max_reject_ratio <= 0 || recent_rejects_.size() < w.reject_window) return;
  const auto rejected = std::count(recent_rejects_.begin(), recent_rejects_.end(), true);
  const double ratio = static_cast<double>(rejected) / static_cast<double>(recent_rejects_.size());
  if (ratio > w.max_reject_ratio)
    disconnect("the pool rejected " + std::to_string(rejected) + " of the last " +
                   std::to_string(recent_rejects_.size()) +
                   " shares (over --pool-max-reject-ratio)",
               PoolHealthReason::rejects_shares);
}

void Session::on_request_failed(const Pending& p, const std::string& reason, PoolHealthReason why) {
  switch (p.method) {
    case Method::submit:
      break;  // submits finish in on_bool_reply / tick
    case Method::subscribe:
      disconnect("mining.subscribe failed: " + reason, why);
      break;
    case Method::authorize:
      if (p.worker_index == 0) {
        disconnect("mining.authorize " + workers_[0] + " failed: " + reason, why);
      } else {
        warn("mining.authorize " + workers_[p.worker_index] + " failed: " + reason);
      }
      break;
    case Method::configure:
      version_mask_ = 0;
      warn("the pool does not roll versions (mining.configure: " + reason + ")");
      break;
    case Method::suggest_difficulty:
    case Method::extranonce_subscribe:
      warn(std::string(method_name(p.method)) + " refused: " + reason);
      break;
  }
}

void Session::check_watchdog(TimePoint now) {
  const auto& w = options_.watchdog;
  auto ms = [](std::chrono::milliseconds d) { return std::to_string(d.count()) + " ms"; };
  if (!ready_ && since(now, connected_at_) > w.handshake_timeout) {
    disconnect(std::string(subscribed_ ? "mining.authorize" : "mining.subscribe") +
                   " not answered within " + ms(w.handshake_timeout),
               PoolHealthReason::handshake_timeout);
  } else if (ready_at_ && !first_notify_ && since(now, *ready_at_) > w.job_timeout) {
    disconnect("authorized but no valid job within " + ms(w.job_timeout) + " (--pool-job-timeout)",
               PoolHealthReason::no_job);
  } else if (first_notify_ && since(now, last_notify_) > w.stale_after) {
    disconnect("no new job for " + ms(w.stale_after) + " (--pool-stale-after)",
               PoolHealthReason::jobs_stale);
  }
}

void Session::tick(TimePoint now) {
  if (!connected_ || closing_) return;
  if (since(now, last_received_) > options_.keepalive) {
    disconnect("no message from the pool for " + std::to_string(options_.keepalive.count()) + " ms",
               PoolHealthReason::jobs_stale);
    return;
  }
  check_watchdog(now);
  if (closing_) return;
  std::vector<std::pair<std::uint64_t, Pending>> expired;
  for (const auto& [id, p] : pending_)
    if (since(now, p.sent) > options_.request_timeout) expired.emplace_back(id, p);
  for (const auto& [id, p] : expired) {
    pending_.erase(id);
    switch (p.method) {
      case Method::submit:
        finish_submit(p.share_id, SubmitOutcome::timed_out, "no reply from the pool",
                      since(now, p.sent));
        if (++unanswered_in_row_ >= options_.watchdog.max_unanswered_submits)
          disconnect("the pool answered none of the last " + std::to_string(unanswered_in_row_) +
                         " submits within " + std::to_string(options_.request_timeout.count()) +
                         " ms",
                     PoolHealthReason::submits_unanswered);
        break;
      case Method::suggest_difficulty:
      case Method::extranonce_subscribe:
        break;  // many pools never answer these
      default:
        on_request_failed(p, "no reply in time", PoolHealthReason::handshake_timeout);
        break;
    }
    if (closing_) return;
  }
}

void Session::disconnected(std::string_view reason) {
  if (!connected_) return;
  connected_ = false;
  closing_ = false;
  subscribed_ = false;
  ready_ = false;
  lines_.clear();
  for (const auto& [id, p] : pending_)
    if (p.method == Method::submit)
      finish_submit(p.share_id, SubmitOutcome::timed_out,
                    "connection lost before the reply: " + std::string(reason), {});
  pending_.clear();
}

void Session::submit(std::uint64_t share_id, const Share& share, TimePoint now) {
  std::string stale;
  if (!subscribed_ || closing_)
    stale = "not connected to the pool";
  else if (share.epoch != epoch_)
    stale = "job retired (epoch " + std::to_string(share.epoch) + ", now " +
            std::to_string(epoch_) + ")";
  else if (std::find(live_jobs_.begin(), live_jobs_.end(), share.job_id) == live_jobs_.end())
    stale = "unknown job " + share.job_id;
  if (!stale.empty()) {
    finish_submit(share_id, SubmitOutcome::stale, stale, {});
    return;
  }
  SubmitParams params;
  params.worker = share.worker.empty() ? workers_[0] : share.worker;
  params.job_id = share.job_id;
  params.extranonce2 = share.extranonce2;
  params.ntime = share.ntime;
  params.nonce = share.nonce;
  if (version_mask_ != 0) params.version_bits = share.version_bits & version_mask_;
  const auto id = next_id();
  request(Method::submit, encode_submit(id, params), id, now, share_id);
}

void Session::request(Method method, const std::string& line, std::uint64_t id, TimePoint now,
                      std::uint64_t share_id, std::size_t worker_index) {
  pending_[id] = Pending{method, now, share_id, worker_index};
  actions_.push_back(action::Write{line});
}

void Session::finish_submit(std::uint64_t share_id, SubmitOutcome outcome, std::string reason,
                            std::chrono::milliseconds latency) {
  SubmitResult r;
  r.share_id = share_id;
  r.outcome = outcome;
  r.reason = std::move(reason);
  r.latency = latency;
  r.pool_index = pool_index_;
  actions_.push_back(action::SubmitDone{std::move(r)});
}

void Session::disconnect(std::string reason, PoolHealthReason why,
                         std::optional<ReconnectMsg> redirect) {
  if (closing_) return;
  closing_ = true;
  actions_.push_back(action::Disconnect{std::move(reason), std::move(redirect), why});
}

std::size_t Session::pending_submits() const {
  return static_cast<std::size_t>(
      std::count_if(pending_.begin(), pending_.end(),
                    [](const auto& kv) { return kv.second.method == Method::submit; }));
}

std::vector<SessionAction> Session::take_actions() {
  std::vector<SessionAction> out;
  out.swap(actions_);
  return out;
}

}  // namespace ih::stratum
