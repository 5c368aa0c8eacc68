// What `mine` runs for proofs (DESIGN §6): the proof log, the window reporter and the report
// pusher, fed by the engine's settled shares.
#pragma once

#include <memory>

#include "config/proof_config.hpp"
#include "engine/settled_share.hpp"
#include "ih/result.hpp"
#include "proof/proof_api.hpp"
#include "proof/proof_store.hpp"
#include "proof/report_push.hpp"
#include "proof/signer.hpp"
#include "proof/window_reporter.hpp"

namespace ih::agent {

// The proof a settled share leaves, if it earns one (accepted, and its hash reaches the proof
// difficulty).
bool make_proof(const SettledShare& settled, double proof_difficulty, proof::ProofJob& job,
                proof::ShareProof& share);

class ProofSession;
// Proofs are on unless --no-proofs. A default data dir that cannot be used only warns; a
// --data-dir or --key that cannot be used is fatal (returns false).
bool start_proofs(const ProofConfig& config, std::unique_ptr<ProofSession>& out);

class ProofSession {
 public:
  // Opens <data-dir>/proofs, loads (or creates) the key, starts reporter and pusher.
  static Result<std::unique_ptr<ProofSession>> start(const ProofConfig& config);
  ~ProofSession();  // writes the last partial window, syncs the log

  void on_share(const SettledShare& settled);
  // The SN89 routes for the status server (proof_api_routes over this session's store).
  std::vector<status::ApiRoute> api_routes() const;
  const proof::ProofStore& store() const { return *store_; }

 private:
  ProofSession() = default;

  ProofConfig config_;
  std::unique_ptr<proof::Signer> signer_;
  std::unique_ptr<proof::ProofStore> store_;
  std::unique_ptr<proof::ReportPusher> pusher_;
  std::unique_ptr<proof::WindowReporter> reporter_;
  bool append_failed_ = false;
};

}  // namespace ih::agent
