// The report's JSON form (docs/report-format.md). nlohmann keeps object keys sorted, so dump()
// of a body holding only integers, strings, arrays and objects is the canonical form.
#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>

#include "ih/hex_encode.hpp"
#include "proof/report.hpp"
#include "proof/utc_time.hpp"

namespace ih::proof {

namespace {

using nlohmann::json;

// Doubles travel as their shortest round-trip decimal text.
std::string number_text(double v) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, res.ptr);
}

std::uint64_t rounded(double v) {
  return v > 0 && std::isfinite(v) ? static_cast<std::uint64_t>(std::llround(v)) : 0;
}

json job_json(const ProofJob& job) {
  json branch = json::array();
  for (const Hash256& h : job.merkle_branch) branch.push_back(hex_encode(h));
  return {{"pool", job.pool_url},
          {"worker", job.worker},
          {"job_id", job.job_id},
          {"prevhash", hex_encode(job.prevhash_notify)},
          {"coinb1", hex_encode(job.coinb1)},
          {"coinb2", hex_encode(job.coinb2)},
          {"merkle_branch", std::move(branch)},
          {"version", job.version},
          {"version_mask", job.version_mask},
          {"nbits", job.nbits},
          {"extranonce1", hex_encode(job.extranonce1)}};
}

json share_json(const ShareProof& s) {
  return {{"job", s.job},
          {"header", hex_encode(s.header)},
          {"extranonce2", hex_encode(s.extranonce2)},
          {"share_difficulty", number_text(s.share_difficulty)},
          {"time_ms", s.time_ms}};
}

json body_json(const WindowReport& r) {
  json jobs = json::array(), shares = json::array();
  for (const ProofJob& j : r.proofs.jobs) jobs.push_back(job_json(j));
  for (const ShareProof& s : r.proofs.shares) shares.push_back(share_json(s));
  return {{"format", r.format},
          {"agent", {{"scheme", r.scheme}, {"public_key", hex_encode(r.agent_key)}}},
          {"software", r.software},
          {"window", {{"start", format_iso8601(r.start_ms)}, {"end", format_iso8601(r.end_ms)}}},
          {"proof_difficulty", number_text(r.proof_difficulty)},
          {"workers", r.workers},
          {"pools", r.pools},
          {"jobs", std::move(jobs)},
          {"shares", std::move(shares)},
          {"difficulty_sum", number_text(r.difficulty_sum)},
          {"hashrate",
           {{"estimate", rounded(r.estimate.hashrate)},
            {"low", rounded(r.estimate.low)},
            {"high", rounded(r.estimate.high)},
            {"confidence", "0.95"},
            {"method", "garwood"},
            {"shares", r.estimate.shares}}}};
}

// Strict field readers: a missing or mistyped field throws, and parse_report reports it.
const json& field(const json& j, const char* name) {
  if (!j.is_object() || !j.contains(name)) throw std::runtime_error(std::string("missing ") + name);
  return j.at(name);
}

std::string text(const json& j, const char* name) {
  const json& v = field(j, name);
  if (!v.is_string()) throw std::runtime_error(std::string(name) + " is not a string");
  return v.get<std::string>();
}

Bytes hex(const json& j, const char* name, std::size_t size = 0) {
  auto bytes = stratum::from_hex(text(j, name));
  if (!bytes || (size != 0 && bytes->size() != size))
    throw std::runtime_error(std::string(name) + " is not valid hex of the right length");
  return *bytes;
}

template <std::size_t N>
std::array<std::uint8_t, N> fixed(const std::string& hex_text, const char* name) {
  auto bytes = stratum::from_hex(hex_text, N);
  if (!bytes)
    throw std::runtime_error(std::string(name) + " is not " + std::to_string(N) + " bytes of hex");
  std::array<std::uint8_t, N> out{};
  std::copy(bytes->begin(), bytes->end(), out.begin());
  return out;
}

template <typename T>
T integer(const json& j, const char* name) {
  const json& v = field(j, name);
  if (!v.is_number_integer()) throw std::runtime_error(std::string(name) + " is not an integer");
  return v.get<T>();
}

double number(const json& j, const char* name) {
  const std::string s = text(j, name);
  double v = 0;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(v) || v < 0)
    throw std::runtime_error(std::string(name) + " is not a number");
  return v;
}

std::int64_t time_field(const json& j, const char* name) {
  auto t = parse_iso8601(text(j, name));
  if (!t) throw std::runtime_error(std::string(name) + " is not an ISO 8601 time");
  return *t;
}

std::vector<std::string> strings(const json& j, const char* name) {
  const json& v = field(j, name);
  if (!v.is_array()) throw std::runtime_error(std::string(name) + " is not an array");
  std::vector<std::string> out;
  for (const json& e : v) {
    if (!e.is_string()) throw std::runtime_error(std::string(name) + " holds a non-string");
    out.push_back(e.get<std::string>());
  }
  return out;
}

ProofJob parse_job(const json& j) {
  ProofJob job;
  job.pool_url = text(j, "pool");
  job.worker = text(j, "worker");
  job.job_id = text(j, "job_id");
  job.prevhash_notify = fixed<32>(text(j, "prevhash"), "prevhash");
  job.coinb1 = hex(j, "coinb1");
  job.coinb2 = hex(j, "coinb2");
  for (const std::string& h : strings(j, "merkle_branch"))
    job.merkle_branch.push_back(fixed<32>(h, "merkle_branch"));
  job.version = integer<std::uint32_t>(j, "version");
  job.version_mask = integer<std::uint32_t>(j, "version_mask");
  job.nbits = integer<std::uint32_t>(j, "nbits");
  job.extranonce1 = hex(j, "extranonce1");
  return job;
}

ShareProof parse_share(const json& j, std::size_t jobs) {
  ShareProof s;
  s.job = integer<std::size_t>(j, "job");
  if (s.job >= jobs)
    throw std::runtime_error("a share names job " + std::to_string(s.job) + " of " +
                             std::to_string(jobs));
  s.header = fixed<80>(text(j, "header"), "header");
  s.extranonce2 = hex(j, "extranonce2");
  s.share_difficulty = number(j, "share_difficulty");
  s.time_ms = integer<std::int64_t>(j, "time_ms");
  return s;
}

WindowReport parse_body(const json& b) {
  WindowReport r;
  r.format = text(b, "format");
  if (r.format != kReportFormat) throw std::runtime_error("unknown format '" + r.format + "'");
  r.scheme = text(field(b, "agent"), "scheme");
  r.agent_key = hex(field(b, "agent"), "public_key");
  r.software = text(b, "software");
  r.start_ms = time_field(field(b, "window"), "start");
  r.end_ms = time_field(field(b, "window"), "end");
  r.proof_difficulty = number(b, "proof_difficulty");
  r.workers = strings(b, "workers");
  r.pools = strings(b, "pools");
  for (const json& j : field(b, "jobs")) r.proofs.jobs.push_back(parse_job(j));
  for (const json& s : field(b, "shares"))
    r.proofs.shares.push_back(parse_share(s, r.proofs.jobs.size()));
  r.difficulty_sum = number(b, "difficulty_sum");
  const json& h = field(b, "hashrate");
  r.estimate.hashrate = static_cast<double>(integer<std::uint64_t>(h, "estimate"));
  r.estimate.low = static_cast<double>(integer<std::uint64_t>(h, "low"));
  r.estimate.high = static_cast<double>(integer<std::uint64_t>(h, "high"));
  r.estimate.shares = integer<std::uint64_t>(h, "shares");
  return r;
}

}  // namespace

std::string canonical_body(const WindowReport& report) {
  // replace: worker ids come from the command line and may be any bytes.
  return body_json(report).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string signed_report_file(const WindowReport& report, const Signer& signer) {
  const std::string body = canonical_body(report);
  const Bytes signature = signer.sign(signing_message(body));
  json file = {{"body", json::parse(body)},
               {"signature",
                {{"scheme", signer.scheme()},
                 {"public_key", hex_encode(signer.public_key())},
                 {"value", hex_encode(signature)}}}};
  return file.dump() + "\n";
}

Result<ParsedReport> parse_report(std::string_view file_text) {
  try {
    const json file = json::parse(file_text);
    ParsedReport out;
    const json& body = field(file, "body");
    out.report = parse_body(body);
    out.body_text = body.dump();
    const json& sig = field(file, "signature");
    out.signature_scheme = text(sig, "scheme");
    out.signature_key = hex(sig, "public_key");
    out.signature = hex(sig, "value");
    return out;
  } catch (const std::exception& e) {
    return make_error(std::string("not a valid report: ") + e.what());
  }
}

}  // namespace ih::proof
