// libFuzzer target: arbitrary pool bytes into the codec and a live session, and every job
// the session accepts through the header builder. Nothing may crash, leak or throw.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "ih/stratum/client/session.hpp"
#include "ih/stratum/protocol/header.hpp"
#include "ih/stratum/protocol/messages.hpp"

namespace {

using namespace ih::stratum;

void build_headers_for(const Job& job, Session& session, Session::TimePoint now,
                       std::uint64_t share_id) {
  ShareFields share;
  share.extranonce1 = job.extranonce1;
  share.extranonce2 = Bytes(job.extranonce2_size, 0x5a);
  share.ntime = job.fields.ntime;
  share.nonce = static_cast<std::uint32_t>(share_id);
  share.version_bits = 0xffffffff;
  share.version_mask = job.version_mask;
  const ih::Header80 header = header_for_share(job.fields, share);
  Share s;
  s.job_id = job.fields.job_id;
  s.extranonce2 = share.extranonce2;
  s.ntime = share.ntime;
  s.nonce = share.nonce;
  (void)header;  // built for the sanitizers to check, not used
  s.version_bits = share.version_bits;
  s.epoch = job.epoch;
  session.submit(share_id, s, now);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  // 1. The codec alone, line by line, with ids 1..6 standing for each request kind.
  const MethodOfId method_of = [](std::uint64_t id) -> std::optional<Method> {
    if (id < 1 || id > 6) return std::nullopt;
    return static_cast<Method>(id - 1);
  };
  LineBuffer lines;
  if (lines.append(input)) {
    while (auto line = lines.next_line()) (void)decode_line(*line, method_of);
  }

  // 2. A subscribed session fed the same bytes, in two pieces to exercise line reassembly.
  SessionOptions options;
  options.suggest_difficulty = 2;
  options.extranonce_subscribe = true;
  Session session(options);
  Session::TimePoint now{std::chrono::seconds(1)};
  PoolEndpoint endpoint{"stratum+tcp://fuzz:1", "w", "x", {"w2"}};
  session.connected(now, 0, endpoint);
  session.received(
      R"({"id":1,"result":{"version-rolling":true,"version-rolling.mask":"1fffe000"},"error":null})"
      "\n"
      R"({"id":2,"result":[null,"9d210c6b",8],"error":null})"
      "\n",
      now);
  const std::size_t half = size / 2;
  std::uint64_t share_id = 1;
  for (std::string_view piece : {input.substr(0, half), input.substr(half)}) {
    session.received(piece, now);
    now += std::chrono::seconds(7);
    session.tick(now);
    for (auto& action : session.take_actions()) {
      if (auto* job = std::get_if<action::NewJob>(&action))
        build_headers_for(job->job, session, now, share_id++);
    }
  }
  session.disconnected("fuzz input done");
  (void)session.take_actions();
  return 0;
}
