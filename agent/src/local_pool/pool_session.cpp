#include "local_pool/pool_session.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <limits>

#include "ih/stratum/protocol/hex.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "local_pool/synthetic_job.hpp"

namespace ih::agent::local_pool {

using nlohmann::json;

namespace {
constexpr std::uint64_t kFloodShares = 16;
constexpr auto kFloodMinimum = std::chrono::milliseconds(250);
}  // namespace

void JobBook::add(stratum::JobFields job) {
  if (job.clean_jobs) jobs_.clear();
  jobs_.push_back(std::move(job));
  while (jobs_.size() > kKept) jobs_.pop_front();
}

const stratum::JobFields* JobBook::find(std::string_view job_id) const {
  for (const auto& j : jobs_)
    if (j.job_id == job_id) return &j;
  return nullptr;
}

const stratum::JobFields* JobBook::newest() const {
  return jobs_.empty() ? nullptr : &jobs_.back();
}

void PoolTotals::accepted(double) {
  std::lock_guard lock(mutex_);
  ++accepted_;
}

void PoolTotals::rejected(const std::string& reason) {
  std::lock_guard lock(mutex_);
  ++rejected_;
  ++reasons_[reason];
}

void PoolTotals::stale() {
  std::lock_guard lock(mutex_);
  ++stale_;
}

std::uint64_t PoolTotals::stale_count() const {
  std::lock_guard lock(mutex_);
  return stale_;
}

std::uint64_t PoolTotals::accepted_count() const {
  std::lock_guard lock(mutex_);
  return accepted_;
}

std::uint64_t PoolTotals::rejected_count() const {
  std::lock_guard lock(mutex_);
  return rejected_;
}

std::map<std::string, std::uint64_t> PoolTotals::reject_reasons() const {
  std::lock_guard lock(mutex_);
  return reasons_;
}

PoolSession::PoolSession(stratum::Bytes extranonce1, SessionOptions options, const JobBook& jobs,
                         PoolTotals& totals, Clock::time_point now)
    : extranonce1_(std::move(extranonce1)),
      options_(options),
      jobs_(jobs),
      totals_(totals),
      difficulty_(std::max(options.initial_difficulty, options.min_difficulty)),
      window_start_(now) {}

std::string PoolSession::notify(const stratum::JobFields& job) {
  json branch = json::array();
  for (const auto& h : job.merkle_branch) branch.push_back(stratum::to_hex(h));
  auto& lowest = job_difficulty_.try_emplace(job.job_id, difficulty_).first->second;
  lowest = std::min(lowest, difficulty_);
  return json{
      {"id", nullptr},
      {"method", "mining.notify"},
      {"params",
       {job.job_id, stratum::to_hex(job.prevhash_notify), stratum::to_hex(job.coinb1),
        stratum::to_hex(job.coinb2), branch, stratum::u32_to_be_hex(job.version),
        stratum::u32_to_be_hex(job.nbits), stratum::u32_to_be_hex(job.ntime), job.clean_jobs}}}
      .dump();
}

std::string PoolSession::set_difficulty_line() {
  for (auto& [id, lowest] : job_difficulty_) lowest = std::min(lowest, difficulty_);
  return json{{"id", nullptr}, {"method", "mining.set_difficulty"}, {"params", {difficulty_}}}
      .dump();
}

std::vector<std::string> PoolSession::on_job(const stratum::JobFields& job) {
  if (job.clean_jobs) {
    job_difficulty_.clear();
    seen_.clear();
  }
  if (!subscribed_ || !authorized_) return {};
  return {notify(job)};
}

std::vector<std::string> PoolSession::on_tick(Clock::time_point now) {
  // Retarget on schedule, or sooner when shares pour in (a fast miner on a low start).
  const bool flood = window_shares_ >= kFloodShares && now - window_start_ >= kFloodMinimum;
  if (!options_.vardiff || !authorized_ ||
      (now - window_start_ < options_.retarget_every && !flood))
    return {};
  const double seconds = std::chrono::duration<double>(now - window_start_).count();
  const double per_share = window_shares_ ? seconds / static_cast<double>(window_shares_)
                                          : std::numeric_limits<double>::infinity();
  window_start_ = now;
  window_shares_ = 0;
  const double ratio = std::clamp(options_.seconds_per_share / per_share, 0.25, 16.0);
  if (ratio > 0.7 && ratio < 1.4) return {};  // close enough: leave it
  difficulty_ = std::max(options_.min_difficulty, difficulty_ * ratio);
  std::vector<std::string> out{set_difficulty_line()};
  if (const auto* job = jobs_.newest()) {
    stratum::JobFields again = *job;
    again.clean_jobs = false;
    out.push_back(notify(again));
  }
  return out;
}

std::vector<std::string> PoolSession::on_line(std::string_view line, Clock::time_point) {
  json msg = json::parse(line, nullptr, false);
  if (msg.is_discarded() || !msg.is_object() || !msg.contains("method")) return {};
  const json id = msg.value("id", json());
  const std::string method = msg["method"].is_string() ? msg["method"].get<std::string>() : "";
  const json params = msg.value("params", json::array());
  auto reply = [&](json result) {
    return json{{"id", id}, {"result", std::move(result)}, {"error", nullptr}}.dump();
  };
  auto error = [&](int code, const std::string& text) {
    return json{{"id", id}, {"result", nullptr}, {"error", {code, text, nullptr}}}.dump();
  };

  if (method == "mining.subscribe") {
    subscribed_ = true;
    return {reply({json::array({json::array({"mining.set_difficulty", "1"}),
                                json::array({"mining.notify", "1"})}),
                   stratum::to_hex(extranonce1_), kExtranonce2Size})};
  }
  if (method == "mining.configure") {
    std::uint32_t asked = kServerVersionMask;
    if (params.is_array() && params.size() >= 2 && params[1].is_object() &&
        params[1].contains("version-rolling.mask") && params[1]["version-rolling.mask"].is_string())
      if (auto m = stratum::u32_from_be_hex(params[1]["version-rolling.mask"].get<std::string>()))
        asked = *m;
    version_mask_ = asked & kServerVersionMask;
    return {reply({{"version-rolling", true},
                   {"version-rolling.mask", stratum::u32_to_be_hex(version_mask_)}})};
  }
  if (method == "mining.authorize") {
    if (!subscribed_) return {error(25, "not subscribed")};
    if (!params.is_array() || params.empty() || !params[0].is_string() ||
        params[0].get<std::string>().empty() ||
        (!options_.expected_user.empty() && params[0].get<std::string>() != options_.expected_user))
      return {error(24, "unauthorized worker")};
    workers_.insert(params[0].get<std::string>());
    std::vector<std::string> out{reply(true)};
    if (!authorized_) {
      authorized_ = true;
      out.push_back(set_difficulty_line());
      if (const auto* job = jobs_.newest()) {
        stratum::JobFields first = *job;
        first.clean_jobs = true;
        out.push_back(notify(first));
      }
    }
    return out;
  }
  if (method == "mining.suggest_difficulty" || method == "mining.extranonce.subscribe")
    return {reply(true)};
  if (method == "mining.submit") {
    std::vector<std::string> fields;
    if (params.is_array())
      for (const json& p : params) fields.push_back(p.is_string() ? p.get<std::string>() : "");
    int code = 0;
    const std::string reason = check_submit(fields, code);
    if (!reason.empty()) {
      if (code == 21)
        totals_.stale();
      else
        totals_.rejected(reason);
      return {error(code, reason)};
    }
    ++window_shares_;
    totals_.accepted(difficulty_);
    return {reply(true)};
  }
  return {error(20, "unknown method " + method)};
}

// Empty when the share is good; otherwise the reason and its Stratum error code.
std::string PoolSession::check_submit(const std::vector<std::string>& p, int& code) {
  code = 20;
  if (p.size() < 5 || p.size() > 6) return "submit needs 5 or 6 string params";
  if (!authorized_ || !workers_.count(p[0])) {
    code = 24;
    return "unauthorized worker";
  }
  const stratum::JobFields* job = jobs_.find(p[1]);
  if (job == nullptr || !job_difficulty_.count(p[1])) {
    code = 21;
    return "job not found (stale)";
  }
  auto en2 = stratum::from_hex(p[2], kExtranonce2Size);
  auto ntime = stratum::u32_from_be_hex(p[3]);
  auto nonce = stratum::u32_from_be_hex(p[4]);
  if (!en2 || !ntime || !nonce) return "malformed extranonce2, ntime or nonce";
  if (*ntime < job->ntime || *ntime > job->ntime + 7200) return "ntime out of range";
  std::uint32_t version_bits = 0;
  if (p.size() == 6) {
    auto v = stratum::u32_from_be_hex(p[5]);
    if (!v) return "malformed version bits";
    if ((*v & ~version_mask_) != 0) return "version bits outside the negotiated mask";
    version_bits = *v;
  }
  if (!seen_.insert({p[1], p[2], p[3], p[4], p.size() == 6 ? p[5] : ""}).second) {
    code = 22;
    return "duplicate share";
  }
  stratum::ShareFields share{extranonce1_, *en2, *ntime, *nonce, version_bits, version_mask_};
  const Hash256 hash = kernels::sha256d(stratum::header_for_share(*job, share));
  auto target = stratum::difficulty_to_target(job_difficulty_[p[1]]);
  if (!target || !hash_meets_target(hash, *target)) {
    code = 23;
    return "low difficulty share";
  }
  return {};
}

}  // namespace ih::agent::local_pool
