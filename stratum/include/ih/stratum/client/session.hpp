// The Stratum V1 session as a pure state machine: the transport feeds it connection events,
// received bytes and clock ticks; it answers with actions (bytes to write, jobs, submit
// results, "disconnect"). No sockets, no threads, no wall clock: tests drive it directly.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ih/stratum/client/pool_client.hpp"
#include "ih/stratum/protocol/messages.hpp"

namespace ih::stratum {

struct SessionOptions {
  bool version_rolling = true;
  std::uint32_t version_mask = 0x1fffe000;
  double suggest_difficulty = 0;
  bool extranonce_subscribe = false;
  std::string user_agent = "infinite-hashes/0.1";
  std::chrono::milliseconds keepalive{std::chrono::seconds(180)};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
  PoolWatchdog watchdog;

  static SessionOptions from(const PoolClientOptions& options);
};

namespace action {
struct Write {
  std::string bytes;
};
struct NewJob {
  Job job;
};
struct SubmitDone {
  SubmitResult result;
};
struct Ready {};  // subscribed and the main worker authorized
struct Disconnect {
  std::string reason;
  std::optional<ReconnectMsg> redirect;  // set when the pool sent client.reconnect
  PoolHealthReason why = PoolHealthReason::disconnected;
};
// A loud problem that does not end the session (a pool rejecting every share); `mining` when
// it cleared again.
struct Alarm {
  PoolHealthReason reason;
  std::string text;
};
struct PoolMessage {
  std::string text;
};
struct Warning {
  std::string text;
};
}  // namespace action

using SessionAction =
    std::variant<action::Write, action::NewJob, action::SubmitDone, action::Ready,
                 action::Disconnect, action::PoolMessage, action::Warning, action::Alarm>;

class Session {
 public:
  using TimePoint = std::chrono::steady_clock::time_point;

  explicit Session(SessionOptions options);

  // A connection to pools[pool_index] is up: sends configure and subscribe. The epoch moves
  // past both its own last value and `min_epoch` (the client-wide newest).
  void connected(TimePoint now, std::size_t pool_index, const PoolEndpoint& endpoint,
                 std::uint64_t min_epoch = 0);
  void received(std::string_view bytes, TimePoint now);
  void tick(TimePoint now);
  // The connection is gone: pending submits end as timed_out.
  void disconnected(std::string_view reason);
  // Sends the share, or reports it stale at once (old epoch, unknown job, not subscribed).
  void submit(std::uint64_t share_id, const Share& share, TimePoint now);
  // Starts a new epoch and re-emits the current job in it (used when a probe takes over).
  void renew_epoch(std::uint64_t min_epoch);
  // From now on suggest this difficulty (sent at once when subscribed, and on every subscribe).
  void suggest_difficulty(double difficulty, TimePoint now);
  // One more worker name on this connection (a proxy's downstream rig): authorized now when
  // subscribed, and again after every reconnect. A refusal is a warning, not a disconnect.
  void add_worker(const std::string& name, TimePoint now);

  std::vector<SessionAction> take_actions();

  bool connected() const { return connected_; }
  bool subscribed() const { return subscribed_; }
  bool ready() const { return ready_; }
  std::uint64_t epoch() const { return epoch_; }
  std::size_t pending_submits() const;
  std::size_t pool_index() const { return pool_index_; }
  const std::optional<Job>& current_job() const { return current_job_; }
  // When this connection's first valid job arrived (unset: none yet).
  const std::optional<TimePoint>& first_job_at() const { return first_notify_; }

 private:
  struct Pending {
    Method method;
    TimePoint sent;
    std::uint64_t share_id = 0;    // submit
    std::size_t worker_index = 0;  // authorize
  };

  std::uint64_t next_id() { return next_id_++; }
  void request(Method method, const std::string& line, std::uint64_t id, TimePoint now,
               std::uint64_t share_id = 0, std::size_t worker_index = 0);
  void handle_line(const std::string& line, TimePoint now);
  void handle(const Incoming& message, TimePoint now);
  void on_subscribed(const SubscribeReply& reply, TimePoint now);
  void on_notify(const JobFields& fields);
  void on_set_difficulty(double difficulty);
  void on_bool_reply(const BoolReply& reply, const Pending& pending, TimePoint now);
  void on_request_failed(const Pending& pending, const std::string& reason,
                         PoolHealthReason why = PoolHealthReason::handshake_refused);
  void check_watchdog(TimePoint now);
  void count_submit_reply(bool accepted);
  void emit_job(const JobFields& fields);
  void new_epoch();
  void finish_submit(std::uint64_t share_id, SubmitOutcome outcome, std::string reason,
                     std::chrono::milliseconds latency);
  void disconnect(std::string reason, PoolHealthReason why,
                  std::optional<ReconnectMsg> redirect = std::nullopt);
  void warn(std::string text) { actions_.push_back(action::Warning{std::move(text)}); }

  SessionOptions options_;
  std::vector<SessionAction> actions_;
  LineBuffer lines_;

  // Per connection.
  bool connected_ = false;
  bool closing_ = false;
  bool subscribed_ = false;
  bool ready_ = false;
  std::size_t pool_index_ = 0;
  std::vector<std::string> workers_;
  std::string password_;
  double suggest_difficulty_ = 0;           // this pool's, else SessionOptions'
  std::vector<std::string> added_workers_;  // add_worker()'s, kept across reconnects
  TimePoint last_received_{};
  std::uint64_t next_id_ = 1;
  std::map<std::uint64_t, Pending> pending_;
  Bytes extranonce1_;
  std::size_t extranonce2_size_ = 0;
  std::optional<SetExtranonceMsg> next_extranonce_;
  std::uint32_t version_mask_ = 0;  // negotiated; 0: no rolling
  double difficulty_ = 1;
  bool difficulty_set_ = false;
  std::optional<JobFields> early_notify_;  // a notify that came before the subscribe reply
  // Watchdog state, per connection.
  TimePoint connected_at_{};
  std::optional<TimePoint> ready_at_;
  std::optional<TimePoint> first_notify_;
  TimePoint last_notify_{};
  unsigned invalid_jobs_in_row_ = 0;
  unsigned unanswered_in_row_ = 0;
  unsigned rejects_in_row_ = 0;
  bool reject_alarm_ = false;
  std::deque<bool> recent_rejects_;  // true: rejected; newest last

  // Across connections.
  std::optional<std::size_t> resume_pool_;
  std::string resume_session_id_;
  std::uint64_t epoch_ = 0;
  bool epoch_has_job_ = false;
  std::deque<std::string> live_jobs_;  // job ids of the current epoch, newest last
  std::optional<Job> current_job_;
};

}  // namespace ih::stratum
