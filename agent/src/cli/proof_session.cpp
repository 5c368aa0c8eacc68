#include "cli/proof_session.hpp"

#include <spdlog/spdlog.h>

#include "ih/build_info.hpp"
#include "ih/hex_encode.hpp"

namespace ih::agent {

bool make_proof(const SettledShare& settled, double proof_difficulty, proof::ProofJob& job,
                proof::ShareProof& share) {
  if (settled.result.outcome != stratum::SubmitOutcome::accepted) return false;
  const SubmittedShare& s = settled.share;
  if (s.achieved_difficulty < proof_difficulty) return false;
  const stratum::Job& j = s.job->job;
  job.pool_url = settled.pool_url;
  job.worker = settled.worker;
  job.job_id = j.fields.job_id;
  job.prevhash_notify = j.fields.prevhash_notify;
  job.coinb1 = j.fields.coinb1;
  job.coinb2 = j.fields.coinb2;
  job.merkle_branch = j.fields.merkle_branch;
  job.version = j.fields.version;
  job.version_mask = j.version_mask;
  job.nbits = j.fields.nbits;
  job.extranonce1 = j.extranonce1;
  share.header = s.header;
  share.extranonce2 = s.extranonce2;
  share.share_difficulty = j.difficulty;
  share.verdict = proof::Verdict::accepted;
  share.time_ms = s.found_ms;
  return true;
}

Result<std::unique_ptr<ProofSession>> ProofSession::start(const ProofConfig& config) {
  std::unique_ptr<ProofSession> session(new ProofSession);
  session->config_ = config;
  const std::filesystem::path dir = config.data_dir;
  std::error_code ec;  // the default key lives in the data dir: create it first
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());
  auto signer = proof::load_or_create_ed25519_signer(config.key_file);
  if (!signer) return signer.error();
  session->signer_ = std::move(*signer);
  proof::ProofStoreOptions store;
  store.dir = dir / "proofs";
  auto opened = proof::ProofStore::open(store);
  if (!opened) return opened.error();
  session->store_ = std::move(*opened);

  proof::ReportPushOptions push;
  push.urls = config.report_urls;
  push.ca_file = config.report_ca;
  push.reports_dir = dir / "reports";
  session->pusher_ = std::make_unique<proof::ReportPusher>(push);
  proof::WindowReporterOptions report;
  report.reports_dir = dir / "reports";
  report.window = std::chrono::milliseconds(static_cast<std::int64_t>(config.report_window * 1000));
  report.proof_difficulty = config.proof_difficulty;
  report.software = std::string("infinite-hashes ") + build_info::kVersion;
  report.on_report = [pusher = session->pusher_.get()](const std::filesystem::path&) {
    pusher->report_ready();
  };
  session->reporter_ =
      std::make_unique<proof::WindowReporter>(*session->store_, *session->signer_, report);
  session->pusher_->start();
  session->reporter_->start();
  spdlog::info("share proofs in {}, reports every {} s signed by {} (public key {})", dir.string(),
               config.report_window, config.key_file, hex_encode(session->signer_->public_key()));
  return session;
}

ProofSession::~ProofSession() {
  if (reporter_) reporter_->stop();
  if (pusher_) pusher_->stop();
  if (store_) {
    store_->sync();
    const proof::ProofStoreStats st = store_->stats();
    if (st.shares > 0)
      spdlog::info(
          "proof log: {} share(s) in {} job(s), {:.1f} bytes per share amortised", st.shares,
          st.jobs,
          static_cast<double>(st.share_bytes + st.job_bytes) / static_cast<double>(st.shares));
  }
}

void ProofSession::on_share(const SettledShare& settled) {
  proof::ProofJob job;
  proof::ShareProof share;
  if (!make_proof(settled, config_.proof_difficulty, job, share)) return;
  if (auto error = store_->append(job, share)) {
    if (!append_failed_) spdlog::error("proof log: {} (mining goes on)", *error);
    append_failed_ = true;
  }
}

std::vector<status::ApiRoute> ProofSession::api_routes() const {
  proof::ProofApiOptions o;
  o.store = store_.get();
  o.reports_dir = std::filesystem::path(config_.data_dir) / "reports";
  o.proof_difficulty = config_.proof_difficulty;
  return proof::proof_api_routes(o);
}

// Proofs are on unless --no-proofs. A default data dir that cannot be used only warns; a
// --data-dir or --key that cannot be used stops the command (returns false).
bool start_proofs(const ProofConfig& config, std::unique_ptr<ProofSession>& out) {
  if (config.no_proofs) return true;
  auto session = ProofSession::start(config);
  if (session) {
    out = std::move(*session);
    return true;
  }
  if (config.paths_given) {
    spdlog::error("{}", session.error().message);
    return false;
  }
  spdlog::warn("share proofs and reports are off: {}", session.error().message);
  return true;
}

}  // namespace ih::agent
