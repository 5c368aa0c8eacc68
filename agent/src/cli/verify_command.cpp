// `infinite-hashes verify`: the validator's tool (DESIGN §6). Exit 0 when every report is
// valid, 1 when any is not (each reason named), 2 when a file cannot be read or parsed.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "cli/commands.hpp"
#include "ih/log_escape.hpp"
#include "proof/utc_time.hpp"
#include "proof/verifier.hpp"

namespace ih::agent {

namespace {

struct VerifyFlags {
  std::vector<std::string> files;
  std::string pubkey;
  std::string pool_tag;
  std::string payout_script;
  bool json = false;
};

constexpr int kExitInvalid = 1;
constexpr int kExitUnreadable = 2;

std::uint64_t whole(double v) {
  return v > 0 ? static_cast<std::uint64_t>(std::llround(v)) : 0;
}

nlohmann::json to_json(const std::vector<std::string>& files,
                       const std::vector<proof::ReportVerdict>& verdicts,
                       const std::vector<proof::WorkerHashrate>& rates) {
  nlohmann::json workers = nlohmann::json::array(), reports = nlohmann::json::array();
  for (const auto& w : rates)
    workers.push_back({{"worker_id", w.worker_id},
                       {"hashrate", whole(w.estimate.hashrate)},
                       {"hashrate_low", whole(w.estimate.low)},
                       {"hashrate_high", whole(w.estimate.high)},
                       {"shares", w.estimate.shares}});
  bool all_valid = true;
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const auto& v = verdicts[i];
    all_valid = all_valid && v.valid;
    nlohmann::json r = {{"workers", v.named_workers}, {"file", files[i]},
                        {"valid", v.valid},           {"reasons", v.reasons},
                        {"proofs", v.proofs},         {"valid_proofs", v.valid_proofs}};
    if (v.readable) {
      r["agent_key"] = v.agent_key_hex;
      r["start_time"] = proof::format_iso8601(v.start_ms);
      r["end_time"] = proof::format_iso8601(v.end_ms);
    }
    reports.push_back(std::move(r));
  }
  return {{"workers", std::move(workers)}, {"reports", std::move(reports)}, {"valid", all_valid}};
}

void print_text(const std::vector<std::string>& files,
                const std::vector<proof::ReportVerdict>& verdicts,
                const std::vector<proof::WorkerHashrate>& rates) {
  for (std::size_t i = 0; i < verdicts.size(); ++i) {
    const auto& v = verdicts[i];
    std::printf("%s: %s", escape_for_log(files[i]).c_str(), v.valid ? "VALID" : "INVALID");
    if (v.readable)
      std::printf(" (%s .. %s, %llu of %llu proofs valid, key %s)",
                  proof::format_iso8601(v.start_ms).c_str(),
                  proof::format_iso8601(v.end_ms).c_str(),
                  static_cast<unsigned long long>(v.valid_proofs),
                  static_cast<unsigned long long>(v.proofs), v.agent_key_hex.c_str());
    std::printf("\n");
    for (const auto& reason : v.reasons)
      std::printf("  reason: %s\n", escape_for_log(reason, 400).c_str());
  }
  // A worker some invalid report names: its figures there count nothing.
  std::set<std::string> in_invalid;
  for (const auto& v : verdicts)
    if (!v.valid) in_invalid.insert(v.named_workers.begin(), v.named_workers.end());
  for (const auto& id : in_invalid)
    std::printf("worker %s: INVALID (named by an invalid report)\n", escape_for_log(id).c_str());
  for (const auto& w : rates)
    if (in_invalid.count(w.worker_id) == 0)
      std::printf("worker %s: VALID, %llu H/s (95%% interval %llu .. %llu), %llu proofs\n",
                  escape_for_log(w.worker_id).c_str(),
                  static_cast<unsigned long long>(whole(w.estimate.hashrate)),
                  static_cast<unsigned long long>(whole(w.estimate.low)),
                  static_cast<unsigned long long>(whole(w.estimate.high)),
                  static_cast<unsigned long long>(w.estimate.shares));
}

int run(const VerifyFlags& f) {
  proof::VerifyOptions options;
  if (!f.pubkey.empty()) {
    auto key = stratum::from_hex(f.pubkey, 32);
    if (!key) {
      std::fprintf(stderr, "infinite-hashes verify: --pubkey: not 32 bytes of hex\n");
      return kExitUnreadable;
    }
    options.expected_key = *key;
  }
  if (!f.payout_script.empty()) {
    auto script = stratum::from_hex(f.payout_script);
    if (!script || script->empty()) {
      std::fprintf(stderr, "infinite-hashes verify: --payout-script: not hex\n");
      return kExitUnreadable;
    }
    options.payout_script = *script;
  }
  options.pool_tag = f.pool_tag;
  proof::SeenShares seen;
  std::vector<proof::ReportVerdict> verdicts;
  bool unreadable = false;
  for (const std::string& file : f.files) {
    std::ifstream in(file, std::ios::binary);
    if (!in) {
      proof::ReportVerdict v;
      v.reasons.push_back("unreadable: cannot open the file");
      verdicts.push_back(std::move(v));
      unreadable = true;
      continue;
    }
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    verdicts.push_back(proof::verify_report(text, options, seen));
    unreadable = unreadable || !verdicts.back().readable;
  }
  const auto rates = proof::verified_hashrates(verdicts);
  if (f.json)
    std::printf("%s\n", to_json(f.files, verdicts, rates).dump(2).c_str());
  else
    print_text(f.files, verdicts, rates);
  if (unreadable) return kExitUnreadable;
  for (const auto& v : verdicts)
    if (!v.valid) return kExitInvalid;
  return 0;
}

}  // namespace

CommandMain add_verify_command(CLI::App& app) {
  auto f = std::make_shared<VerifyFlags>();
  CLI::App* sub = app.add_subcommand(
      "verify",
      "Verify signed window reports: check the signature, re-hash every share, check "
      "difficulty, window, merkle commitment and duplicates; print the verified hashrate");
  sub->add_option("reports", f->files, "Report files")->required();
  sub->add_option("--pubkey", f->pubkey, "Require reports signed by this key (hex)");
  sub->add_option("--pool-tag", f->pool_tag, "Require this text in every coinbase");
  sub->add_option("--payout-script", f->payout_script,
                  "Require a coinbase output paying this script (hex)");
  sub->add_flag("--json", f->json,
                "JSON: {\"workers\":[{\"worker_id\",\"hashrate\"}],...} plus per-report details");
  return [f] { return run(*f); };
}

}  // namespace ih::agent
