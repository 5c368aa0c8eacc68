// Who may report for a hotkey's workers (issue #18, DESIGN §6). A worker id names its miner's
// hotkey ("sn89auction.<SS58 hotkey>.<worker>"); the authority says whether a report signed
// by an agent key may claim work for it. Today the binding comes from a TOML file
// (--keys); a hotkey-signed (sr25519) delegation of the agent key can implement this
// interface later without touching the ingest code.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "ih/result.hpp"

namespace ih::collect {

struct Authorization {
  bool allowed = true;
  bool bound = false;                // every worker's hotkey has this key registered
  std::vector<std::string> reasons;  // why not allowed, one per worker
};

class AgentAuthority {
 public:
  virtual ~AgentAuthority() = default;
  // `agent_key` is lower-case hex.
  virtual Authorization authorize(const std::string& agent_key,
                                  const std::vector<std::string>& worker_ids) const = 0;
};

// The hotkey a worker id names: its second dot-separated part, empty when there is none.
std::string worker_hotkey(std::string_view worker_id);

// Without --keys: every report is allowed, and none is bound.
std::unique_ptr<AgentAuthority> open_authority();

// hotkey -> allowed agent keys (lower-case hex).
using KeyRegistry = std::map<std::string, std::set<std::string>>;
std::unique_ptr<AgentAuthority> registry_authority(KeyRegistry registry);

// Reads the --keys file (docs/collect.md): a [hotkeys] table of hotkey = ["<hex key>", ...].
// Errors name the file, the line and what is wrong.
Result<KeyRegistry> load_key_registry(const std::string& path);

}  // namespace ih::collect
