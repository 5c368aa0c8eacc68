// Stratum V1 messages as typed values, and the JSON-RPC line codec that maps them to bytes.
// Pure: no sockets, no logging, no exceptions escape. Anything malformed is an Error with the
// reason; the caller decides whether the session survives it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

#include "ih/result.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/hex.hpp"

namespace ih::stratum {

// The longest line we accept from a pool (a notify with 32 branches and a big coinbase fits).
inline constexpr std::size_t kMaxLineBytes = 64 * 1024;
inline constexpr std::size_t kMaxExtranonce2Size = 16;
inline constexpr std::size_t kMaxExtranonce1Size = 32;

// Requests we send; the session remembers which method each id was for.
enum class Method {
  configure,
  subscribe,
  authorize,
  submit,
  suggest_difficulty,
  extranonce_subscribe,
};
std::string_view method_name(Method method);

// --- pool -> client notifications and requests -------------------------------------------

struct NotifyMsg {
  JobFields fields;
};
struct SetDifficultyMsg {
  double difficulty = 1;
};
struct SetExtranonceMsg {
  Bytes extranonce1;
  std::size_t extranonce2_size = 0;
};
struct SetVersionMaskMsg {
  std::uint32_t mask = 0;
};
struct ReconnectMsg {
  std::string host;  // empty: the same host
  std::optional<std::uint16_t> port;
  std::chrono::seconds wait{0};
};
struct ShowMessageMsg {
  std::string text;
};
// Requests the pool expects an answer to; `id_json` is the pool's id, re-encoded verbatim.
struct GetVersionMsg {
  std::string id_json;
};
struct PingMsg {
  std::string id_json;
};
struct UnknownMethodMsg {
  std::string method;
  std::string id_json;  // "null" for a notification
};

// --- pool -> client replies to our requests ----------------------------------------------

struct SubscribeReply {
  std::uint64_t id = 0;
  std::string session_id;  // for resuming; empty when the pool gave none
  Bytes extranonce1;
  std::size_t extranonce2_size = 0;
};
struct ConfigureReply {
  std::uint64_t id = 0;
  bool version_rolling = false;
  std::uint32_t mask = 0;
};
// authorize, submit, suggest_difficulty, extranonce.subscribe: true, or false with a reason.
struct BoolReply {
  std::uint64_t id = 0;
  bool accepted = false;
  std::string reason;
};
// Any reply carrying an error (or a result of the wrong shape for a request that failed).
struct ErrorReply {
  std::uint64_t id = 0;
  std::string reason;
};

using Incoming =
    std::variant<NotifyMsg, SetDifficultyMsg, SetExtranonceMsg, SetVersionMaskMsg, ReconnectMsg,
                 ShowMessageMsg, GetVersionMsg, PingMsg, UnknownMethodMsg, SubscribeReply,
                 ConfigureReply, BoolReply, ErrorReply>;

// Which request an id belongs to; nullopt when we never sent it (or it was already answered).
using MethodOfId = std::function<std::optional<Method>(std::uint64_t id)>;

// Decodes one line (without its newline). Strict: types, hex lengths, value ranges.
Result<Incoming> decode_line(std::string_view line, const MethodOfId& method_of);

// Turns the error member of a reply into one readable reason: null, a string,
// [code, message, traceback] or {"code":..,"message":..}.
std::string describe_error(std::string_view error_json);

// --- client -> pool lines (each ends with '\n') ------------------------------------------

std::string encode_configure(std::uint64_t id, std::uint32_t version_mask);
std::string encode_subscribe(std::uint64_t id, std::string_view user_agent,
                             std::string_view session_id);  // empty: a fresh session
std::string encode_authorize(std::uint64_t id, std::string_view user, std::string_view password);
std::string encode_extranonce_subscribe(std::uint64_t id);
std::string encode_suggest_difficulty(std::uint64_t id, double difficulty);
struct SubmitParams {
  std::string worker;
  std::string job_id;
  Bytes extranonce2;
  std::uint32_t ntime = 0;
  std::uint32_t nonce = 0;
  std::optional<std::uint32_t> version_bits;  // sent as the 6th param when rolling
};
std::string encode_submit(std::uint64_t id, const SubmitParams& params);
// Answers to pool requests: a string result, or an error [code, message, null].
std::string encode_string_result(std::string_view id_json, std::string_view result);
std::string encode_error_result(std::string_view id_json, int code, std::string_view message);

// Splits a byte stream into lines, refusing any line longer than kMaxLineBytes.
class LineBuffer {
 public:
  explicit LineBuffer(std::size_t max_line = kMaxLineBytes) : max_line_(max_line) {}
  // Appends bytes; errors (and drops everything buffered) once a line outgrows the limit.
  Result<bool> append(std::string_view bytes);
  // The next complete line without "\n" (and without a trailing "\r"), if any.
  std::optional<std::string> next_line();
  void clear() { buffer_.clear(); }

 private:
  std::size_t max_line_;
  std::string buffer_;
};

}  // namespace ih::stratum
