// Client -> pool lines and the line splitter. nlohmann stays in this file.
#include <nlohmann/json.hpp>

#include "ih/stratum/protocol/messages.hpp"

namespace ih::stratum {

namespace {

using nlohmann::json;

json id_from_json(std::string_view id_json) {
  json id = json::parse(id_json, nullptr, false);
  return id.is_discarded() ? json(nullptr) : id;
}

std::string line(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
}

json request(std::uint64_t id, std::string_view method, json params) {
  return json{{"id", id}, {"method", method}, {"params", std::move(params)}};
}

}  // namespace

std::string encode_configure(std::uint64_t id, std::uint32_t version_mask) {
  return line(request(id, "mining.configure",
                      json::array({json::array({"version-rolling"}),
                                   json{{"version-rolling.mask", u32_to_be_hex(version_mask)},
                                        {"version-rolling.min-bit-count", 2}}})));
}

std::string encode_subscribe(std::uint64_t id, std::string_view user_agent,
                             std::string_view session_id) {
  json params = json::array({user_agent});
  if (!session_id.empty()) params.push_back(session_id);
  return line(request(id, "mining.subscribe", std::move(params)));
}

std::string encode_authorize(std::uint64_t id, std::string_view user, std::string_view password) {
  return line(request(id, "mining.authorize", json::array({user, password})));
}

std::string encode_extranonce_subscribe(std::uint64_t id) {
  return line(request(id, "mining.extranonce.subscribe", json::array()));
}

std::string encode_suggest_difficulty(std::uint64_t id, double difficulty) {
  return line(request(id, "mining.suggest_difficulty", json::array({difficulty})));
}

std::string encode_submit(std::uint64_t id, const SubmitParams& s) {
  json params = json::array(
      {s.worker, s.job_id, to_hex(s.extranonce2), u32_to_be_hex(s.ntime), u32_to_be_hex(s.nonce)});
  if (s.version_bits) params.push_back(u32_to_be_hex(*s.version_bits));
  return line(request(id, "mining.submit", std::move(params)));
}

std::string encode_string_result(std::string_view id_json, std::string_view result) {
  return line(json{{"id", id_from_json(id_json)}, {"result", result}, {"error", nullptr}});
}

std::string encode_error_result(std::string_view id_json, int code, std::string_view message) {
  return line(json{{"id", id_from_json(id_json)},
                   {"result", nullptr},
                   {"error", json::array({code, message, nullptr})}});
}

Result<bool> LineBuffer::append(std::string_view bytes) {
  buffer_.append(bytes);
  const auto newline = buffer_.rfind('\n');
  const std::size_t tail =
      newline == std::string::npos ? buffer_.size() : buffer_.size() - newline - 1;
  if (tail > max_line_) {
    buffer_.clear();
    return make_error("a line is longer than " + std::to_string(max_line_) + " bytes");
  }
  return true;
}

std::optional<std::string> LineBuffer::next_line() {
  const auto newline = buffer_.find('\n');
  if (newline == std::string::npos) return std::nullopt;
  std::string out = buffer_.substr(0, newline);
  buffer_.erase(0, newline + 1);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
}

}  // namespace ih::stratum
