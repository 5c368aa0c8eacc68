#include "fault_cases.hpp"

#include <nlohmann/json.hpp>
#include <thread>

#include "wait_until.hpp"

namespace ih::test {

namespace {

using stratum::PoolHealthReason;

// The first `n` connections get `faulty`, later ones are relayed untouched.
std::function<FaultProxy::Script(FaultRig&)> first(std::size_t n,
                                                   std::function<ConnectionScript()> faulty) {
  return [n, faulty](FaultRig&) {
    return [n, faulty](std::size_t c) { return c < n ? faulty() : ConnectionScript{}; };
  };
}
std::function<FaultProxy::Script(FaultRig&)> always(std::function<ConnectionScript()> faulty) {
  return [faulty](FaultRig&) { return [faulty](std::size_t) { return faulty(); }; };
}

bool is_job_line(const std::string& line) {
  return has_method(line, "mining.notify") || has_method(line, "mining.set_difficulty");
}

// Pool -> agent: the first mining.notify passes, then `then` (close, reset, stall).
ConnectionScript after_first_notify(Then then) {
  ConnectionScript s;
  s.down = [then](const std::string& line) {
    if (has_method(line, "mining.notify")) return LineVerdict{{line}, then};
    return forward(line);
  };
  return s;
}

// Pool -> agent: after the first mining.notify, nothing more reaches the agent.
ConnectionScript silent_after_first_notify() {
  ConnectionScript s;
  s.down = [silent = false](const std::string& line) mutable {
    if (silent) return swallow();
    silent = has_method(line, "mining.notify");
    return forward(line);
  };
  return s;
}

// Agent -> pool: after authorize, nothing more reaches the pool.
ConnectionScript deaf_after_authorize() {
  ConnectionScript s;
  s.up = [deaf = false](const std::string& line) mutable {
    if (deaf) return swallow();
    deaf = has_method(line, "mining.authorize");
    return forward(line);
  };
  return s;
}

// The first mining.notify cut in half; `then` decides whether the line ends or the link does.
ConnectionScript truncate_first_notify(bool drop) {
  ConnectionScript s;
  s.down = [drop, done = false](const std::string& line) mutable {
    if (done || !has_method(line, "mining.notify")) return forward(line);
    done = true;
    const std::string half = line.substr(0, line.size() / 2);
    return drop ? LineVerdict{{half}, Then::close} : LineVerdict{{half + "\n"}, Then::go_on};
  };
  return s;
}

// Every `every`-th line from the pool gets a control byte in its middle (never valid JSON).
// mining.set_difficulty is spared: without it Stratum's default difficulty 1 applies, which a
// CPU thread needs most of an hour per share for (a lost difficulty is not a fault to recover).
ConnectionScript corrupt_every(std::size_t every) {
  ConnectionScript s;
  s.down = [every, n = std::size_t{0}](std::string line) mutable {
    if (!has_method(line, "mining.set_difficulty") && ++n % every == 0)
      line[line.size() / 2] = '\x01';
    return forward(line);
  };
  return s;
}

ConnectionScript each_line_twice() {
  ConnectionScript s;
  s.down = [](const std::string& line) { return LineVerdict{{line, line}, Then::go_on}; };
  return s;
}

// Non-JSON, binary and escape-sequence lines between the pool's own lines.
const std::string kEvil = "\x1b[2J\x1b]0;owned\x07\r\x7f\x9b\x01\x08 {not json]";

ConnectionScript garbage_between_lines() {
  ConnectionScript s;
  s.down = [n = 0](const std::string& line) mutable {
    std::string garbage = ++n % 2 ? kEvil + "\n" : std::string("\x16\x03\x01\x00\xff\xfe\n", 7);
    return LineVerdict{{std::move(garbage), line}, Then::go_on};
  };
  return s;
}

// Hostile bytes inside valid JSON: a show_message, an unknown method, a bad job, a reject reason.
ConnectionScript hostile_strings() {
  ConnectionScript s;
  s.down = [](const std::string& line) {
    if (!has_method(line, "mining.notify")) return forward(line);
    const std::string evil = "\x1b[31m\x1b]0;owned\x07\r\x7f\xc2\x9b\x01";
    nlohmann::json bad = nlohmann::json::parse(line);
    bad["params"][0] = evil;
    bad["params"][1] = evil;
    nlohmann::json message = {
        {"id", nullptr}, {"method", "client.show_message"}, {"params", {evil}}};
    nlohmann::json unknown = {
        {"id", nullptr}, {"method", evil}, {"params", nlohmann::json::array()}};
    return LineVerdict{
        {kEvil + "\n", message.dump() + "\n", unknown.dump() + "\n", bad.dump() + "\n", line}};
  };
  return s;
}

ConnectionScript oversize_line_first() {
  ConnectionScript s;
  s.down = [done = false](const std::string& line) mutable {
    if (done || !has_method(line, "mining.notify")) return forward(line);
    done = true;
    return LineVerdict{{std::string(70000, 'x') + "\n", line}, Then::go_on};
  };
  return s;
}

ConnectionScript at_accept(AtAccept what, std::string greeting = {}) {
  ConnectionScript s;
  s.at_accept = what;
  s.greeting = std::move(greeting);
  return s;
}

ConnectionScript malformed_jobs() {
  ConnectionScript s;
  s.down = [](const std::string& line) {
    if (!has_method(line, "mining.notify")) return forward(line);
    nlohmann::json job = nlohmann::json::parse(line);
    job["params"][1] = "not hex";
    return LineVerdict{{job.dump() + "\n"}, Then::go_on};
  };
  return s;
}

ConnectionScript only_first_job() {
  ConnectionScript s;
  s.down = [jobs = 0](const std::string& line) mutable {
    if (has_method(line, "mining.notify") && ++jobs > 1) return swallow();
    return forward(line);
  };
  return s;
}

// The authorize reply passes; the session ends before the first job.
ConnectionScript drop_after_authorize() {
  ConnectionScript s;
  s.down = [](const std::string& line) {
    return is_job_line(line) ? LineVerdict{{}, Then::close} : forward(line);
  };
  return s;
}

ConnectionScript swallow_everything_down() {
  ConnectionScript s;
  s.down = [](const std::string&) { return swallow(); };
  return s;
}

// After authorize: client.reconnect to this very place, then the pool closes.
ConnectionScript redirect_to_self() {
  ConnectionScript s;
  s.down = [](const std::string& line) {
    if (!is_job_line(line)) return forward(line);
    return LineVerdict{{"{\"id\":null,\"method\":\"client.reconnect\",\"params\":[]}\n"},
                       Then::close};
  };
  return s;
}

ConnectionScript submits_vanish() {
  ConnectionScript s;
  s.up = [](const std::string& line) {
    return has_method(line, "mining.submit") ? swallow() : forward(line);
  };
  return s;
}

ConnectionScript trickle() {
  ConnectionScript s;
  s.trickle_down = true;
  return s;
}

ConnectionScript relay() {
  return {};
}

}  // namespace

ConnectionScript random_fault(std::uint32_t draw) {
  switch (draw % 24) {
    case 0:
      return after_first_notify(Then::close);
    case 1:
      return after_first_notify(Then::reset);
    case 2:
      return after_first_notify(Then::stall);
    case 3:
      return silent_after_first_notify();
    case 4:
      return deaf_after_authorize();
    case 5:
      return truncate_first_notify(draw % 2 == 0);
    case 6:
      return corrupt_every(4);
    case 7:
      return each_line_twice();
    case 8:
      return garbage_between_lines();
    case 9:
      return oversize_line_first();
    case 10:
      return at_accept(AtAccept::reset);
    case 11:
      return trickle();
    default:
      return relay();
  }
}

std::vector<FaultCase> fault_cases() {
  using R = PoolHealthReason;
  std::vector<FaultCase> cases;
  auto add = [&cases](FaultCase c) { cases.push_back(std::move(c)); };
  auto make = [](std::string name, std::function<FaultProxy::Script(FaultRig&)> script,
                 Expect expect, std::size_t faulty = 0,
                 std::optional<stratum::PoolHealthReason> reason = std::nullopt) {
    FaultCase c;
    c.name = std::move(name);
    c.script = std::move(script);
    c.expect = expect;
    c.faulty_connections = faulty;
    c.reason = reason;
    return c;
  };
  // Transport faults on the first connections; the agent must come back to the primary.
  add(make("DropMidJob", first(2, [] { return after_first_notify(Then::close); }), Expect::primary,
           2));
  add(make("ResetMidJob", first(2, [] { return after_first_notify(Then::reset); }), Expect::primary,
           2));
  add(make("HalfOpenPoolGoesSilent", first(2, silent_after_first_notify), Expect::primary, 2));
  add(make("HalfOpenPoolGoesDeaf", first(2, deaf_after_authorize), Expect::primary, 2));
  add(make("StallBothWaysPastKeepalive", first(2, [] { return after_first_notify(Then::stall); }),
           Expect::primary, 2));
  // A broken line alone does not end the session: the agent mines on through it.
  add(make("TruncatedLine", first(1, [] { return truncate_first_notify(false); }),
           Expect::primary));
  add(make("TruncatedLineThenDrop", first(2, [] { return truncate_first_notify(true); }),
           Expect::primary, 2));
  add(make("OversizeLine", first(1, oversize_line_first), Expect::primary));
  add(make("ResetAtAccept", first(3, [] { return at_accept(AtAccept::reset); }), Expect::primary,
           3));
  add(make("CloseAtAcceptForAWhile", first(3, [] { return at_accept(AtAccept::close); }),
           Expect::primary, 3));
  FaultCase refuse = make("RefuseConnectionsForAWhile", always(relay), Expect::primary);
  refuse.during = [](FaultRig& rig) {
    ASSERT_TRUE(wait_until([&] { return rig.primary().stats().accepted >= 2; }, 10s));
    rig.proxy().refuse_for(1500ms);
    rig.proxy().drop_all();
  };
  add(refuse);
  // Bytes that are damaged but keep flowing: the agent mines on through the primary.
  add(make("OneByteAtATime", always(trickle), Expect::primary));
  add(make("CorruptBytes", always([] { return corrupt_every(4); }), Expect::either));
  add(make("DuplicateLines", always(each_line_twice), Expect::primary));
  add(make("GarbageInjected", always(garbage_between_lines), Expect::primary));
  FaultCase log = make("RawBytesNeverReachTheLog", always(hostile_strings), Expect::primary);
  log.check_log = true;
  add(log);
  // A primary that stays broken: the backup gets the work, the primary is probed with back-off.
  add(make("AcceptThenCloseAlways", always([] { return at_accept(AtAccept::close); }),
           Expect::backup));
  FaultCase tls =
      make("TlsHandshakeFails", always([] {
             return at_accept(AtAccept::greet_then_close, "HTTP/1.1 400 Bad Request\r\n\r\n");
           }),
           Expect::backup, 0, R::connect_failed);
  tls.options.primary_tls = true;
  add(tls);
  FaultCase malformed = make("MalformedNotifyWithHealthyBackup", always(malformed_jobs),
                             Expect::backup, 0, R::invalid_jobs);
  malformed.options.client.watchdog.job_timeout = 5s;  // three bad jobs come before it
  add(malformed);
  add(make("PoolStopsSendingJobs", always(only_first_job), Expect::either, 0, R::jobs_stale));
  add(make("AuthorizeThenDrop", always(drop_after_authorize), Expect::backup, 0, R::dropped_early));
  add(make("SubscribeNeverAnswered", always(swallow_everything_down), Expect::backup, 0,
           R::handshake_timeout));
  add(make("ClientReconnectLoop", always(redirect_to_self), Expect::backup, 0, R::redirect_loop));
  add(make("SubmitNeverAnswered", always(submits_vanish), Expect::backup, 0,
           R::submits_unanswered));
  FaultCase flood = make("ShareFlood", always(relay), Expect::primary);
  flood.options.difficulty = 1e-9;  // nearly every hash a share without the guard
  flood.during = [](FaultRig& rig) {
    std::this_thread::sleep_for(1s);  // the guard needs a hashrate to size the local target
    const auto before = rig.primary().stats().accepted;
    std::this_thread::sleep_for(2s);
    EXPECT_LE(rig.primary().stats().accepted - before, 2 * 20 * 2u)
        << "the share-rate cap (20/s) did not hold";
  };
  add(flood);
  return cases;
}

}  // namespace ih::test
