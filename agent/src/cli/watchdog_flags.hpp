// The `mine` flags of WatchdogConfig (CLI11 stays in the .cpp).
#pragma once

#include "config/watchdog_config.hpp"

namespace CLI {
class App;
}

namespace ih::agent {

void add_watchdog_flags(CLI::App& sub, WatchdogConfig& values);
// Copies the flags that were given on the command line from `values` into `into`.
void apply_given_watchdog_flags(const CLI::App& sub, const WatchdogConfig& values,
                                WatchdogConfig& into);

}  // namespace ih::agent
