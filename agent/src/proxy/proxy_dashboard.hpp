// The proxy's dashboard (GET /): the routing split against its targets and every downstream
// worker, refreshed from /2/pools and /2/workers. Self-contained HTML, no external assets.
#pragma once

#include <string>

namespace ih::proxy {

const std::string& proxy_dashboard_page();

}  // namespace ih::proxy
