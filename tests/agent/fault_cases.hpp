// The cases of the fault matrix: each a script for the proxy in front of the primary pool and
// what the agent must end up doing about it.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "fault_rig.hpp"

namespace ih::test {

enum class Expect {
  primary,  // the agent mines on the primary again, through the proxy, once the fault is over
  backup,   // the primary stays broken: the healthy backup gets the shares
  either,   // the fault comes and goes: shares on whichever pool works
};

struct FaultCase {
  std::string name;
  std::function<FaultProxy::Script(FaultRig&)> script;  // for the proxy, once the rig is up
  Expect expect = Expect::primary;
  std::size_t faulty_connections = 0;  // the first n connections are scripted, the rest clean
  std::optional<stratum::PoolHealthReason> reason;  // what the primary must have reported
  std::function<void(FaultRig&)> during;            // an action while mining (refuse, drop)
  RigOptions options{};
  bool check_log = false;  // no control byte may reach the log
};

std::vector<FaultCase> fault_cases();

// One connection's fault for the soak, picked by `draw`: most connections are relayed clean,
// the rest get one of the matrix's faults.
ConnectionScript random_fault(std::uint32_t draw);

}  // namespace ih::test
