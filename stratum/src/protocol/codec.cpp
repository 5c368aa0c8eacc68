// JSON-RPC lines <-> typed Stratum messages. nlohmann stays in this file; every access is
// type-checked first so malformed input becomes an Error, never an exception.
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "ih/stratum/protocol/messages.hpp"

namespace ih::stratum {

namespace {

using nlohmann::json;

std::string error_reason(const json& error) {
  if (error.is_null()) return "no reason given";
  if (error.is_string()) return error.get<std::string>();
  if (error.is_array() && !error.empty()) {
    std::string out;
    if (error[0].is_number_integer()) out = "code " + std::to_string(error[0].get<long long>());
    if (error.size() > 1 && error[1].is_string())
      out += (out.empty() ? "" : ": ") + error[1].get<std::string>();
    if (!out.empty()) return out;
  }
  if (error.is_object()) {
    std::string out;
    auto code = error.find("code");
    if (code != error.end() && code->is_number_integer())
      out = "code " + std::to_string(code->get<long long>());
    auto msg = error.find("message");
    if (msg != error.end() && msg->is_string())
      out += (out.empty() ? "" : ": ") + msg->get<std::string>();
    if (!out.empty()) return out;
  }
  return error.dump();
}

// Our ids are unsigned integers; some pools echo them back as numeric strings.
std::optional<std::uint64_t> reply_id(const json& id) {
  if (id.is_number_unsigned()) return id.get<std::uint64_t>();
  if (id.is_number_integer() && id.get<long long>() >= 0)
    return static_cast<std::uint64_t>(id.get<long long>());
  if (id.is_string()) {
    const auto& s = id.get_ref<const std::string&>();
    if (s.empty() || s.size() > 19) return std::nullopt;
    std::uint64_t v = 0;
    for (char c : s) {
      if (c < '0' || c > '9') return std::nullopt;
      v = v * 10 + static_cast<std::uint64_t>(c - '0');
    }
    return v;
  }
  return std::nullopt;
}

Result<std::string> string_param(const json& params, std::size_t i, std::string_view what) {
  if (params.size() <= i || !params[i].is_string())
    return make_error(std::string(what) + " must be a string");
  return params[i].get<std::string>();
}

Result<std::size_t> extranonce2_size(const json& v) {
  if (!v.is_number_integer()) return make_error("extranonce2_size must be an integer");
  const long long n = v.get<long long>();
  if (n < 1 || n > static_cast<long long>(kMaxExtranonce2Size))
    return make_error("extranonce2_size " + std::to_string(n) + " is outside 1.." +
                      std::to_string(kMaxExtranonce2Size));
  return static_cast<std::size_t>(n);
}

Result<Bytes> extranonce1(const json& v) {
  if (!v.is_string()) return make_error("extranonce1 must be a hex string");
  auto bytes = from_hex(v.get_ref<const std::string&>());
  if (!bytes) return make_error("extranonce1: " + bytes.error().message);
  if (bytes->size() > kMaxExtranonce1Size) return make_error("extranonce1 is too long");
  return bytes;
}

Result<Incoming> decode_notify(const json& p) {
  if (p.size() < 9) return make_error("mining.notify needs 9 params");
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 7u})
    if (!p[i].is_string())
      return make_error("mining.notify param " + std::to_string(i) + " must be a string");
  if (!p[4].is_array()) return make_error("mining.notify merkle branch must be an array");
  if (!p[8].is_boolean()) return make_error("mining.notify clean_jobs must be a boolean");
  if (p[4].size() > kMaxMerkleBranch) return make_error("mining.notify merkle branch too long");
  std::vector<std::string> branch;
  for (const json& b : p[4]) {
    if (!b.is_string()) return make_error("mining.notify merkle branch entries must be strings");
    branch.push_back(b.get<std::string>());
  }
  auto fields = decode_job_fields(
      p[0].get<std::string>(), p[1].get_ref<const std::string&>(),
      p[2].get_ref<const std::string&>(), p[3].get_ref<const std::string&>(), branch,
      p[5].get_ref<const std::string&>(), p[6].get_ref<const std::string&>(),
      p[7].get_ref<const std::string&>(), p[8].get<bool>());
  if (!fields) return make_error("mining.notify: " + fields.error().message);
  return Incoming{NotifyMsg{std::move(*fields)}};
}

Result<Incoming> decode_set_difficulty(const json& p) {
  if (p.empty() || !p[0].is_number()) return make_error("mining.set_difficulty needs a number");
  const double d = p[0].get<double>();
  if (!std::isfinite(d) || d <= 0)
    return make_error("mining.set_difficulty " + p[0].dump() + " is not a positive number");
  return Incoming{SetDifficultyMsg{d}};
}

Result<Incoming> decode_set_extranonce(const json& p) {
  if (p.size() < 2) return make_error("mining.set_extranonce needs 2 params");
  auto e1 = extranonce1(p[0]);
  if (!e1) return make_error("mining.set_extranonce: " + e1.error().message);
  auto size = extranonce2_size(p[1]);
  if (!size) return make_error("mining.set_extranonce: " + size.error().message);
  return Incoming{SetExtranonceMsg{std::move(*e1), *size}};
}

Result<Incoming> decode_set_version_mask(const json& p) {
  auto s = string_param(p, 0, "mining.set_version_mask mask");
  if (!s) return s.error();
  auto mask = u32_from_be_hex(*s);
  if (!mask) return make_error("mining.set_version_mask: " + mask.error().message);
  return Incoming{SetVersionMaskMsg{*mask}};
}

Result<Incoming> decode_reconnect(const json& p) {
  ReconnectMsg msg;
  if (!p.empty() && !p[0].is_null()) {
    if (!p[0].is_string()) return make_error("client.reconnect host must be a string");
    msg.host = p[0].get<std::string>();
  }
  if (p.size() > 1 && !p[1].is_null()) {
    long long port = -1;
    if (p[1].is_number_integer()) port = p[1].get<long long>();
    if (p[1].is_string()) {
      auto parsed = reply_id(p[1]);
      if (parsed && *parsed <= 65535) port = static_cast<long long>(*parsed);
    }
    if (port < 1 || port > 65535) return make_error("client.reconnect port is not a valid port");
    msg.port = static_cast<std::uint16_t>(port);
  }
  if (p.size() > 2 && !p[2].is_null()) {
    if (!p[2].is_number_integer() || p[2].get<long long>() < 0 || p[2].get<long long>() > 3600)
      return make_error("client.reconnect wait must be 0..3600 seconds");
    msg.wait = std::chrono::seconds(p[2].get<long long>());
  }
  return Incoming{std::move(msg)};
}

Result<Incoming> decode_method(const json& msg) {
  const auto method_it = msg.find("method");
  if (!method_it->is_string()) return make_error("method must be a string");
  const std::string& method = method_it->get_ref<const std::string&>();
  const auto id_it = msg.find("id");
  const std::string id_json = id_it == msg.end() ? "null" : id_it->dump();
  static const json kEmpty = json::array();
  const auto params_it = msg.find("params");
  const bool has_params = params_it != msg.end() && !params_it->is_null();
  if (has_params && !params_it->is_array()) return make_error(method + ": params must be an array");
  const json& p = has_params ? *params_it : kEmpty;

  if (method == "mining.notify") return decode_notify(p);
  if (method == "mining.set_difficulty") return decode_set_difficulty(p);
  if (method == "mining.set_extranonce") return decode_set_extranonce(p);
  if (method == "mining.set_version_mask") return decode_set_version_mask(p);
  if (method == "client.reconnect") return decode_reconnect(p);
  if (method == "client.show_message") {
    auto text = string_param(p, 0, "client.show_message text");
    if (!text) return text.error();
    return Incoming{ShowMessageMsg{std::move(*text)}};
  }
  if (method == "client.get_version") return Incoming{GetVersionMsg{id_json}};
  if (method == "mining.ping") return Incoming{PingMsg{id_json}};
  return Incoming{UnknownMethodMsg{method, id_json}};
}

Result<Incoming> decode_subscribe_result(std::uint64_t id, const json& r) {
  if (!r.is_array() || r.size() < 3)
    return make_error("mining.subscribe result must be [subs, extranonce1, size]");
  SubscribeReply reply;
  reply.id = id;
  auto e1 = extranonce1(r[1]);
  if (!e1) return make_error("mining.subscribe: " + e1.error().message);
  reply.extranonce1 = std::move(*e1);
  auto size = extranonce2_size(r[2]);
  if (!size) return make_error("mining.subscribe: " + size.error().message);
  reply.extranonce2_size = *size;
  // The notify subscription id is the session id to resume with; ckpool resumes by extranonce1.
  auto pick = [&](const json& pair) {
    if (pair.is_array() && pair.size() >= 2 && pair[0] == "mining.notify" && pair[1].is_string())
      reply.session_id = pair[1].get<std::string>();
  };
  if (r[0].is_array()) {
    pick(r[0]);
    for (const json& pair : r[0]) pick(pair);
  }
  if (reply.session_id.size() > 64) reply.session_id.clear();
  if (reply.session_id.empty()) reply.session_id = to_hex(reply.extranonce1);
  return Incoming{std::move(reply)};
}

Result<Incoming> decode_configure_result(std::uint64_t id, const json& r) {
  if (!r.is_object()) return make_error("mining.configure result must be an object");
  ConfigureReply reply;
  reply.id = id;
  auto vr = r.find("version-rolling");
  reply.version_rolling = vr != r.end() && vr->is_boolean() && vr->get<bool>();
  if (reply.version_rolling) {
    auto mask = r.find("version-rolling.mask");
    if (mask == r.end() || !mask->is_string())
      return make_error("mining.configure: version-rolling.mask missing");
    auto m = u32_from_be_hex(mask->get_ref<const std::string&>());
    if (!m) return make_error("mining.configure: version-rolling.mask: " + m.error().message);
    reply.mask = *m;
  }
  return Incoming{reply};
}

Result<Incoming> decode_reply(const json& msg, const MethodOfId& method_of) {
  const auto id_it = msg.find("id");
  if (id_it == msg.end() || id_it->is_null()) {
    auto err = msg.find("error");
    return make_error("reply without id" +
                      (err != msg.end() ? " (error: " + error_reason(*err) + ")" : std::string()));
  }
  const auto id = reply_id(*id_it);
  if (!id) return make_error("reply id " + id_it->dump() + " is not one of ours");
  const auto method = method_of ? method_of(*id) : std::nullopt;
  if (!method) return make_error("reply for unknown id " + std::to_string(*id));
  static const json kNull;
  const auto result_it = msg.find("result");
  const json& result = result_it == msg.end() ? kNull : *result_it;
  const auto error_it = msg.find("error");
  const bool has_error = error_it != msg.end() && !error_it->is_null();

  if (*method == Method::subscribe || *method == Method::configure) {
    if (has_error || result.is_null() || result.is_boolean())
      return Incoming{ErrorReply{*id, has_error ? error_reason(*error_it) : "no result"}};
    auto decoded = *method == Method::subscribe ? decode_subscribe_result(*id, result)
                                                : decode_configure_result(*id, result);
    // A malformed answer still ends its request, so the session need not wait for a timeout.
    if (!decoded) return Incoming{ErrorReply{*id, "malformed result: " + decoded.error().message}};
    return decoded;
  }
  BoolReply reply;
  reply.id = *id;
  reply.accepted = result.is_boolean() && result.get<bool>() && !has_error;
  if (!reply.accepted) {
    auto rr = msg.find("reject-reason");
    if (has_error)
      reply.reason = error_reason(*error_it);
    else if (rr != msg.end() && rr->is_string())
      reply.reason = rr->get<std::string>();
    else if (!result.is_boolean())
      reply.reason = "unexpected result " + result.dump();
    else
      reply.reason = "rejected without a reason";
  }
  return Incoming{std::move(reply)};
}

}  // namespace

std::string_view method_name(Method method) {
  switch (method) {
    case Method::configure:
      return "mining.configure";
    case Method::subscribe:
      return "mining.subscribe";
    case Method::authorize:
      return "mining.authorize";
    case Method::submit:
      return "mining.submit";
    case Method::suggest_difficulty:
      return "mining.suggest_difficulty";
    case Method::extranonce_subscribe:
      return "mining.extranonce.subscribe";
  }
  return "unknown";
}

Result<Incoming> decode_line(std::string_view text, const MethodOfId& method_of) {
  if (text.size() > kMaxLineBytes) return make_error("line longer than 64 KiB");
  try {
    const json msg = json::parse(text, nullptr, false);
    if (msg.is_discarded()) return make_error("invalid JSON");
    if (!msg.is_object()) return make_error("message is not a JSON object");
    const auto method = msg.find("method");
    if (method != msg.end() && !method->is_null()) return decode_method(msg);
    if (msg.contains("result") || msg.contains("error")) return decode_reply(msg, method_of);
    return make_error("message has neither method nor result");
  } catch (const std::exception& e) {  // a safety net: every access above is checked
    return make_error(std::string("malformed message: ") + e.what());
  }
}

std::string describe_error(std::string_view error_json) {
  const json j = json::parse(error_json, nullptr, false);
  return j.is_discarded() ? std::string(error_json) : error_reason(j);
}

}  // namespace ih::stratum
