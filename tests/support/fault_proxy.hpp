// A fault-injecting TCP proxy for tests: loopback only, between the agent (or a PoolClient) and a
// Stratum server. Each new connection gets a script from the test: what to do at accept
// (relay, close, reset, answer with garbage), a filter per direction that sees every complete
// line and says what to forward instead and what to do next (go on, close, reset with RST, stall),
// and whether to trickle the pool's bytes to the agent one at a time. It counts connections.
// asio stays in fault_proxy.cpp.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace ih::test {

// What a relay does once the bytes of a verdict are written.
enum class Then {
  go_on,
  close,  // FIN to both sides
  reset,  // RST to the agent (SO_LINGER 0), FIN to the pool
  stall,  // keep both sockets open, forward nothing either way (a half-open peer)
};

struct LineVerdict {
  std::vector<std::string> send;  // raw bytes forwarded in place of the line (no '\n' added)
  Then then = Then::go_on;
};

// Sees each complete line (with its '\n'), in order; called on the proxy's thread.
using LineFilter = std::function<LineVerdict(const std::string& line)>;

enum class AtAccept {
  relay,             // connect to the pool and relay through the filters
  close,             // accept, then close at once
  reset,             // accept, then RST at once
  greet_then_close,  // send `greeting` (garbage, a non-TLS answer to a ClientHello), then close
};

struct ConnectionScript {
  AtAccept at_accept = AtAccept::relay;
  std::string greeting;
  LineFilter down;            // pool -> agent; empty: forward every line
  LineFilter up;              // agent -> pool; empty: forward every line
  bool trickle_down = false;  // write the pool's bytes to the agent one byte per segment
};

class FaultProxy {
 public:
  // Picks the script for the n-th connection (0-based).
  using Script = std::function<ConnectionScript(std::size_t connection)>;

  // Listens on an ephemeral loopback port; relays to 127.0.0.1:upstream_port.
  explicit FaultProxy(std::uint16_t upstream_port, Script script = {});
  ~FaultProxy();
  FaultProxy(const FaultProxy&) = delete;
  FaultProxy& operator=(const FaultProxy&) = delete;

  std::uint16_t port() const;
  std::string url(std::string_view scheme = "stratum+tcp") const;
  // Connections accepted so far (attempts refused by refuse_for() are not seen by the proxy).
  std::size_t connections() const;
  std::vector<std::chrono::steady_clock::time_point> connection_times() const;
  std::size_t open_relays() const;
  // Thread-safe: applies to connections accepted from now on.
  void set_script(Script script);
  // Stops listening (connects are refused by the kernel), then listens on the same port again.
  void refuse_for(std::chrono::milliseconds duration);
  // Closes every open connection (FIN both ways), as a pool restart would.
  void drop_all();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Common filters.
inline LineVerdict forward(const std::string& line) {
  return {{line}, Then::go_on};
}
inline LineVerdict swallow() {
  return {{}, Then::go_on};
}
// A request or notification for `method` (not a line that merely names it, like a subscribe reply).
inline bool has_method(const std::string& line, std::string_view method) {
  // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "literal" + string.
  for (std::string_view separator : {":", ": "}) {
    std::string needle = "\"method\"";
    needle.append(separator);
    needle.append("\"");
    needle.append(method);
    needle.append("\"");
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace ih::test
