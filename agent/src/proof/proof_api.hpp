// The SN89 routes of the status endpoint (DESIGN §6): GET /api/v1/workers, exactly as the
// subnet's validators read pools and the proxy, with hashrates computed from the proofs of the
// requested interval; GET /api/v1/reports lists window reports and serves their files.
#pragma once

#include <filesystem>
#include <string_view>
#include <vector>

#include "proof/proof_store.hpp"
#include "status/api_route.hpp"

namespace ih::proof {

struct ProofApiOptions {
  const ProofStore* store = nullptr;  // must outlive the routes
  std::filesystem::path reports_dir;
  double proof_difficulty = 0;
  std::size_t max_limit = 1000;  // a page holds at most this many workers
};

std::vector<agent::status::ApiRoute> proof_api_routes(ProofApiOptions options);

// A glob over worker ids: '*' any run (dots included), '?' one character, '[...]' a set.
bool worker_matches(std::string_view pattern, std::string_view worker_id);

}  // namespace ih::proof
