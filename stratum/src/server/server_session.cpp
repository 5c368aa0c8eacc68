#include "ih/stratum/server/server_session.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <bit>
#include <cmath>

#include "ih/kernels/sha256.hpp"
#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"

namespace ih::stratum::server {

using nlohmann::json;

namespace {

constexpr std::uint64_t kFloodShares = 16;
constexpr auto kFloodMinimum = std::chrono::milliseconds(250);
constexpr std::size_t kMaxWorkerName = 256;
constexpr std::size_t kMaxUserAgent = 128;
constexpr std::uint32_t kNtimeRollSeconds = 7200;

std::string reply(const json& id, json result) {
  return json{{"id", id}, {"result", std::move(result)}, {"error", nullptr}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::string error_line(const json& id, int code, const std::string& text) {
  return json{{"id", id}, {"result", nullptr}, {"error", {code, text, nullptr}}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
}

std::optional<double> positive_number(const json& v) {
  double d = 0;
  if (v.is_number())
    d = v.get<double>();
  else if (v.is_string()) {  // some firmwares send "512" or a hex string
    const auto& s = v.get_ref<const std::string&>();
    char* end = nullptr;
    d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() || *end != '\0') return std::nullopt;
  } else
    return std::nullopt;
  if (!std::isfinite(d) || d <= 0) return std::nullopt;
  return d;
}

}  // namespace

ServerSession::ServerSession(Bytes extranonce1, std::size_t extranonce2_size, ServerOptions options,
                             const JobBook* jobs, Clock::time_point now)
    : extranonce1_(std::move(extranonce1)),
      extranonce2_size_(extranonce2_size),
      options_(std::move(options)),
      jobs_(jobs),
      difficulty_(std::clamp(options_.initial_difficulty, options_.min_difficulty,
                             options_.max_difficulty)),
      window_start_(now) {}

std::string ServerSession::notify(const JobFields& job) {
  json branch = json::array();
  for (const auto& h : job.merkle_branch) branch.push_back(to_hex(h));
  auto& lowest = job_difficulty_.try_emplace(job.job_id, difficulty_).first->second;
  lowest = std::min(lowest, difficulty_);
  return json{{"id", nullptr},
              {"method", "mining.notify"},
              {"params",
               {job.job_id, to_hex(job.prevhash_notify), to_hex(job.coinb1), to_hex(job.coinb2),
                branch, u32_to_be_hex(job.version), u32_to_be_hex(job.nbits),
                u32_to_be_hex(job.ntime), job.clean_jobs}}}
      .dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string ServerSession::set_difficulty_line() {
  for (auto& [id, lowest] : job_difficulty_) lowest = std::min(lowest, difficulty_);
  return json{{"id", nullptr}, {"method", "mining.set_difficulty"}, {"params", {difficulty_}}}
      .dump();
}

void ServerSession::start_work(std::vector<std::string>& out) {
  if (working_ || !subscribed_ || workers_.empty()) return;
  working_ = true;
  out.push_back(set_difficulty_line());
  if (const auto* job = jobs_ ? jobs_->newest() : nullptr) {
    JobFields first = *job;
    first.clean_jobs = true;
    out.push_back(notify(first));
  }
}

std::vector<std::string> ServerSession::on_job(const JobFields& job) {
  if (job.clean_jobs) {
    job_difficulty_.clear();
    seen_.clear();
  }
  if (!working_) return {};
  return {notify(job)};
}

std::vector<std::string> ServerSession::set_difficulty(double difficulty) {
  if (!std::isfinite(difficulty) || difficulty <= 0) return {};
  difficulty_ = std::clamp(difficulty, options_.min_difficulty, options_.max_difficulty);
  if (!working_) return {};
  return {set_difficulty_line()};
}

std::vector<std::string> ServerSession::set_max_difficulty(double difficulty) {
  if (!std::isfinite(difficulty) || difficulty <= 0) return {};
  options_.max_difficulty = std::max(difficulty, options_.min_difficulty);
  if (difficulty_ <= options_.max_difficulty) return {};
  return set_difficulty(options_.max_difficulty);
}

std::vector<std::string> ServerSession::on_tick(Clock::time_point now) {
  // Retarget on schedule, or sooner when shares pour in (a fast miner on a low start).
  const bool flood = window_shares_ >= kFloodShares && now - window_start_ >= kFloodMinimum;
  if (!options_.vardiff || !working_ || (now - window_start_ < options_.retarget_every && !flood))
    return {};
  const double seconds = std::chrono::duration<double>(now - window_start_).count();
  const double per_share = window_shares_ ? seconds / static_cast<double>(window_shares_)
                                          : std::numeric_limits<double>::infinity();
  window_start_ = now;
  window_shares_ = 0;
  const double ratio = std::clamp(options_.seconds_per_share / per_share, 0.25, 16.0);
  if (ratio > 0.7 && ratio < 1.4) return {};  // close enough: leave it
  const double next =
      std::clamp(difficulty_ * ratio, options_.min_difficulty, options_.max_difficulty);
  if (next == difficulty_) return {};
  difficulty_ = next;
  std::vector<std::string> out{set_difficulty_line()};
  if (const auto* job = jobs_ ? jobs_->newest() : nullptr) {
    JobFields again = *job;
    again.clean_jobs = false;
    out.push_back(notify(again));
  }
  return out;
}

bool ServerSession::rebind(const JobBook* jobs, Bytes extranonce1, std::size_t extranonce2_size,
                           std::vector<std::string>& lines) {
  jobs_ = jobs;
  extranonce1_ = std::move(extranonce1);
  extranonce2_size_ = extranonce2_size;
  job_difficulty_.clear();  // the old work is void: its shares are stale from here on
  seen_.clear();
  if (!extranonce_subscribed_) return false;
  if (!working_) return true;
  lines.push_back(json{{"id", nullptr},
                       {"method", "mining.set_extranonce"},
                       {"params", {to_hex(extranonce1_), extranonce2_size_}}}
                      .dump());
  if (const auto* job = jobs_ ? jobs_->newest() : nullptr) {
    JobFields first = *job;
    first.clean_jobs = true;
    lines.push_back(notify(first));
  }
  return true;
}

ServerActions ServerSession::on_line(std::string_view line, Clock::time_point /*now*/) {
  ServerActions out;
  // Keep-alive: cgminer-family firmwares send bare newlines; some send whitespace.
  if (line.find_first_not_of(" \t\r") == std::string_view::npos) return out;
  json msg = json::parse(line, nullptr, false);
  if (msg.is_discarded() || !msg.is_object()) {
    out.protocol_error = "not a JSON-RPC object";
    return out;
  }
  const json id = msg.value("id", json());
  if (!msg.contains("method")) return out;  // a reply to something we sent: nothing to do
  const std::string method = msg["method"].is_string() ? msg["method"].get<std::string>() : "";
  json params = msg.value("params", json::array());
  if (!params.is_array()) params = json::array({params});

  if (method == "mining.subscribe") {
    subscribed_ = true;
    if (!params.empty() && params[0].is_string())
      user_agent_ = params[0].get<std::string>().substr(0, kMaxUserAgent);
    // Subscription ids are not resumable here: one fixed id, as many pools do.
    out.lines.push_back(reply(id, {json::array({json::array({"mining.set_difficulty", "1"}),
                                                json::array({"mining.notify", "1"})}),
                                   to_hex(extranonce1_), extranonce2_size_}));
    start_work(out.lines);  // authorize may have come first (some firmwares pipeline it)
    return out;
  }
  if (method == "mining.configure") {
    const json exts = !params.empty() && params[0].is_array() ? params[0] : json::array();
    const json opts = params.size() >= 2 && params[1].is_object() ? params[1] : json::object();
    json result = json::object();
    for (const auto& e : exts) {
      if (!e.is_string()) continue;
      const std::string name = e.get<std::string>();
      if (name == "version-rolling") {
        std::uint32_t asked = 0xffffffffu;  // no mask given: whatever the server allows
        if (opts.contains("version-rolling.mask") && opts["version-rolling.mask"].is_string())
          if (auto m = u32_from_be_hex(opts["version-rolling.mask"].get<std::string>())) asked = *m;
        const std::uint32_t mask = asked & options_.version_mask;
        int min_bits = 0;
        if (opts.contains("version-rolling.min-bit-count") &&
            opts["version-rolling.min-bit-count"].is_number_integer())
          min_bits = opts["version-rolling.min-bit-count"].get<int>();
        // Fewer bits than the miner needs: refuse rolling rather than hand it a useless mask.
        const bool ok = mask != 0 && std::popcount(mask) >= min_bits;
        version_mask_ = ok ? mask : 0;
        result["version-rolling"] = ok;
        result["version-rolling.mask"] = u32_to_be_hex(version_mask_);
      } else if (name == "minimum-difficulty") {
        const auto v = opts.contains("minimum-difficulty.value")
                           ? positive_number(opts["minimum-difficulty.value"])
                           : std::nullopt;
        result["minimum-difficulty"] = v.has_value() && options_.honor_suggested_difficulty;
        if (v && options_.honor_suggested_difficulty) {
          options_.min_difficulty = std::min(*v, options_.max_difficulty);
          if (difficulty_ < options_.min_difficulty) difficulty_ = options_.min_difficulty;
        }
      } else if (name == "subscribe-extranonce") {
        extranonce_subscribed_ = true;
        result["subscribe-extranonce"] = true;
      } else {
        result[name] = false;  // unknown extension (e.g. "info"): declined, not an error
      }
    }
    out.lines.push_back(reply(id, std::move(result)));
    return out;
  }
  if (method == "mining.authorize") {
    const std::string user =
        !params.empty() && params[0].is_string() ? params[0].get<std::string>() : "";
    if (user.empty() || user.size() > kMaxWorkerName ||
        (!options_.expected_user.empty() && user != options_.expected_user) ||
        (workers_.size() >= options_.max_workers_per_connection && !workers_.count(user))) {
      out.lines.push_back(error_line(id, 24, "unauthorized worker"));
      out.protocol_error = "refused worker name " + user.substr(0, kMaxWorkerName);
      return out;
    }
    workers_.insert(user);  // any password: pools that care check it upstream
    out.lines.push_back(reply(id, true));
    start_work(out.lines);
    return out;
  }
  if (method == "mining.suggest_difficulty" || method == "mining.suggest_target") {
    std::optional<double> d;
    if (!params.empty()) {
      if (method == "mining.suggest_difficulty")
        d = positive_number(params[0]);
      else if (params[0].is_string())
        if (auto t = from_hex(params[0].get<std::string>(), 32)) {
          Hash256 le{};
          std::copy(t->rbegin(), t->rend(), le.begin());  // sent big-endian
          if (auto diff = target_to_difficulty(Uint256::from_le_bytes(le)); diff.ok()) d = *diff;
        }
    }
    out.lines.push_back(reply(id, d.has_value()));
    if (d && options_.honor_suggested_difficulty) {
      auto lines = set_difficulty(*d);
      out.lines.insert(out.lines.end(), lines.begin(), lines.end());
    }
    return out;
  }
  if (method == "mining.extranonce.subscribe") {
    extranonce_subscribed_ = true;
    out.lines.push_back(reply(id, true));
    return out;
  }
  // bmminer (Antminer S9 family) announces how many versions it rolls; the mask covers it.
  if (method == "mining.multi_version") {
    out.lines.push_back(reply(id, true));
    return out;
  }
  if (method == "mining.ping") {
    out.lines.push_back(reply(id, "pong"));
    return out;
  }
  if (method == "mining.submit") {
    std::vector<std::string> fields;
    for (const json& p : params) fields.push_back(p.is_string() ? p.get<std::string>() : "");
    AcceptedShare share;
    if (auto bad = check_submit(fields, share)) {
      out.lines.push_back(error_line(id, bad->code, bad->reason));
      out.rejection = std::move(bad);
      return out;
    }
    ++window_shares_;
    out.lines.push_back(reply(id, true));
    out.share = std::move(share);
    return out;
  }
  out.lines.push_back(error_line(id, 20, "unsupported method"));
  out.protocol_error = "unsupported method " + method.substr(0, 64);
  return out;
}

// Every check a pool makes, in its order; a share passing them all is valid at difficulty_.
std::optional<Rejection> ServerSession::check_submit(const std::vector<std::string>& p,
                                                     AcceptedShare& share) {
  const std::string worker = p.empty() ? "" : p[0].substr(0, kMaxWorkerName);
  auto bad = [&](int code, std::string reason) {
    return std::optional<Rejection>(Rejection{code, std::move(reason), worker});
  };
  if (p.size() < 5 || p.size() > 6) return bad(20, "submit needs 5 or 6 string params");
  if (!working_ || !workers_.count(p[0])) return bad(24, "unauthorized worker");
  const JobFields* job = jobs_ ? jobs_->find(p[1]) : nullptr;
  if (job == nullptr || !job_difficulty_.count(p[1])) return bad(21, "job not found (stale)");
  if (p[2].size() != 2 * extranonce2_size_)
    return bad(20, "extranonce2 must be " + std::to_string(extranonce2_size_) + " bytes");
  auto en2 = from_hex(p[2], extranonce2_size_);
  auto ntime = u32_from_be_hex(p[3]);
  auto nonce = u32_from_be_hex(p[4]);
  if (!en2 || !ntime || !nonce) return bad(20, "malformed extranonce2, ntime or nonce");
  if (*ntime < job->ntime || *ntime > job->ntime + kNtimeRollSeconds)
    return bad(20, "ntime out of range");
  std::uint32_t version_bits = 0;
  if (p.size() == 6) {
    auto v = u32_from_be_hex(p[5]);
    if (!v) return bad(20, "malformed version bits");
    // Some firmwares send the whole rolled version instead of the rolled bits: accepted
    // when its fixed bits are the job's.
    if ((*v & ~version_mask_) == (job->version & ~version_mask_) && (*v & ~version_mask_) != 0)
      version_bits = *v & version_mask_;
    else if ((*v & ~version_mask_) != 0)
      return bad(20, "version bits outside the negotiated mask");
    else
      version_bits = *v;
  }
  if (!seen_.insert({p[1], p[2], p[3], p[4], p.size() == 6 ? u32_to_be_hex(version_bits) : ""})
           .second)
    return bad(22, "duplicate share");
  ShareFields fields{extranonce1_, *en2, *ntime, *nonce, version_bits, version_mask_};
  const Header80 header = header_for_share(*job, fields);
  const Hash256 hash = kernels::sha256d(header);
  const double lowest = job_difficulty_[p[1]];
  auto target = difficulty_to_target(lowest);
  if (!target || !hash_meets_target(hash, *target)) return bad(23, "low difficulty share");
  // Credited at the difficulty in force now when it meets it (the miner works at that one);
  // only a share found before a raise counts at the lower difficulty it was asked for.
  auto current = difficulty_to_target(difficulty_);
  const double credited =
      difficulty_ > lowest && current && hash_meets_target(hash, *current) ? difficulty_ : lowest;
  share = AcceptedShare{p[0], p[1], std::move(fields), header, hash, credited};
  return std::nullopt;
}

}  // namespace ih::stratum::server
