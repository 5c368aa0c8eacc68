// Proofs for proxy mode: every share the proxy forwarded and the pool accepted goes into the
// same proof log, window reports and SN89 routes `mine` uses, under the name the pool saw
// (e.g. sn89auction.<hotkey>.<rig>), so reports cover every downstream worker.
#pragma once

#include "cli/proof_session.hpp"
#include "engine/settled_share.hpp"
#include "proxy/proxy_service.hpp"

namespace ih::agent {

SettledShare settled_from_forwarded(const proxy::ForwardedShare& forwarded);

}  // namespace ih::agent
