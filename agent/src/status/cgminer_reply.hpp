// The cgminer API's replies (commands summary, devs, pools, version, config, stats) for a
// snapshot. A request is "command|param" or {"command":"...","parameter":"..."}; the reply
// comes in the same form, STATUS section first, NUL-terminated. Pure: no sockets.
#pragma once

#include <string>
#include <string_view>

#include "status/status_snapshot.hpp"

namespace ih::agent::status {

std::string cgminer_reply(std::string_view request, const StatusSnapshot& snapshot);

}  // namespace ih::agent::status
