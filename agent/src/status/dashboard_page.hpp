// GET /: the dashboard, one self-contained page (no external scripts, fonts or CDNs: rigs are
// often offline) embedded in the binary. Open it as http://HOST:PORT/#token=TOKEN when a token
// is set: the fragment never leaves the browser, the page sends it as a Bearer header.
#pragma once

#include <string>

namespace ih::agent::status {

const std::string& dashboard_page();

}  // namespace ih::agent::status
