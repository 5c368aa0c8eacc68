// What a subcommand whose feature has not landed says: plainly, with exit status 2.
#pragma once

#include <cstdio>

#include "cli/commands.hpp"

namespace ih::agent {

inline int not_implemented(const char* command, const char* what) {
  std::fprintf(stderr,
               "infinite-hashes %s: not available in this build yet (%s). Nothing was done.\n",
               command, what);
  return kExitNotImplemented;
}

}  // namespace ih::agent
