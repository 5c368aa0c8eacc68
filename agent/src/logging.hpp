// Process-wide logging set-up (spdlog stays inside logging.cpp).
#pragma once

#include <string>

namespace ih::agent {

struct LogOptions {
  std::string level = "info";  // trace, debug, info, warn, error, critical, off
  std::string file;            // also log here when set
  bool color = true;           // colour on a terminal unless --no-color
  bool quiet = false;          // -q: warnings and errors only
};

// Returns an error message, or empty on success.
std::string setup_logging(const LogOptions& options);

// Whether console lines may carry ANSI colours (no --no-color, and stderr is a terminal).
bool console_color();

}  // namespace ih::agent
