// Work slicing, the dispatcher and the share gate, without a network.
#include <gtest/gtest.h>

#include <set>
#include <utility>
#include <vector>

#include "engine/dispatcher.hpp"
#include "engine/ledger.hpp"
#include "engine/share_gate.hpp"
#include "engine/work_slice.hpp"
#include "ih/kernels/work.hpp"
#include "ih/stratum/protocol/target.hpp"
#include "local_pool/synthetic_job.hpp"

namespace {

using namespace ih;
using namespace ih::agent;

stratum::Job test_job(std::uint64_t epoch, double difficulty, std::size_t en2_size = 4) {
  local_pool::SyntheticJobs jobs(42 + epoch);
  stratum::Job job;
  job.fields = jobs.next(true);
  job.extranonce1 = {0xde, 0xad, 0xbe, 0xef};
  job.extranonce2_size = en2_size;
  job.difficulty = difficulty;
  job.share_target = *stratum::difficulty_to_target(difficulty);
  job.version_mask = 0x1fffe000;
  job.epoch = epoch;
  return job;
}

// A pool that records what it is given (the gate's only way out).
class RecordingPoolLink final : public PoolLink {
 public:
  void start() override {}
  void stop() override {}
  std::uint64_t submit(const stratum::Share& share) override {
    shares.push_back(share);
    return shares.size();
  }
  std::size_t pending_submits() const override { return 0; }
  std::vector<stratum::Share> shares;
};

TEST(WorkSlice, DevicesNeverShareAUnit) {
  for (std::size_t en2_size : {std::size_t{1}, std::size_t{4}}) {
    const stratum::Job job = test_job(1, 1.0, en2_size);
    std::set<std::pair<stratum::Bytes, std::uint32_t>> seen;
    const std::size_t devices = 3;
    for (std::size_t d = 0; d < devices; ++d)
      for (std::uint64_t k = 0; k < 200; ++k) {  // 600 units: past 256, so versions roll
        const WorkUnit u = make_work_unit(job, unit_index(d, devices, k));
        EXPECT_EQ(u.extranonce2.size(), en2_size);
        EXPECT_EQ(u.version_bits & ~job.version_mask, 0u);
        EXPECT_TRUE(seen.insert({u.extranonce2, u.version_bits}).second)
            << "device " << d << " unit " << k << " repeats a header";
      }
  }
}

TEST(WorkSlice, UnitZeroKeepsTheJobVersion) {
  const stratum::Job job = test_job(1, 1.0);
  EXPECT_EQ(make_work_unit(job, 0).version_bits, job.fields.version & job.version_mask);
  EXPECT_EQ(deposit_bits(0b101, 0x1fffe000), (1u << 13) | (1u << 15));
}

TEST(WorkSlice, AJobResentWithANewDifficultyBuildsTheSameHeaders) {
  const stratum::Job job = test_job(1, 1.0);
  stratum::Job harder = job;
  harder.difficulty = 8;
  harder.share_target = *stratum::difficulty_to_target(8);
  harder.fields.clean_jobs = false;
  EXPECT_TRUE(same_headers(job, harder));
  stratum::Job other = job;
  other.fields.coinb2.push_back(0);
  EXPECT_FALSE(same_headers(job, other));
  stratum::Job next_epoch = job;
  next_epoch.epoch = 2;
  EXPECT_FALSE(same_headers(job, next_epoch));
}

TEST(WorkSlice, WorkHashesLikeTheRebuiltHeader) {
  const stratum::Job job = test_job(1, 1.0);
  const WorkUnit u = make_work_unit(job, 1234567);
  for (std::uint32_t nonce : {0u, 1u, 0xdeadbeefu})
    EXPECT_EQ(kernels::reference_hash(u.work, nonce),
              kernels::sha256d(share_header(job, u.extranonce2, u.version_bits, nonce)));
}

// A nonce of `unit` whose hash meets the job's target (difficulty 2^-28: 1 hash in 16), or
// with meets == false one whose top word already fails it.
std::uint32_t find_share(const stratum::Job& job, const WorkUnit& unit, bool meets) {
  for (std::uint32_t n = 0;; ++n) {
    const Hash256 h = kernels::reference_hash(unit.work, n);
    if (meets ? hash_meets_target(h, job.share_target)
              : Uint256::from_le_bytes(h).limbs[7] > job.share_target.limbs[7])
      return n;
  }
}

TEST(ShareGate, SubmitsRealSharesOnceAndCountsTheRest) {
  const double easy = 1.0 / (1u << 28);
  Dispatcher dispatcher(1);
  Ledger ledger(1, 1);
  ShareGate gate(dispatcher, ledger);
  RecordingPoolLink pool;
  gate.attach(&pool);
  dispatcher.set_job(test_job(1, easy));
  const auto job = dispatcher.current();
  const WorkUnit unit = make_work_unit(job->job, 5);

  const std::uint32_t good = find_share(job->job, unit, true);
  EXPECT_EQ(gate.process({0, job, unit.extranonce2, unit.version_bits, good}),
            GateVerdict::submitted);
  ASSERT_EQ(pool.shares.size(), 1u);
  EXPECT_EQ(pool.shares[0].nonce, good);
  EXPECT_EQ(pool.shares[0].extranonce2, unit.extranonce2);
  EXPECT_EQ(pool.shares[0].job_id, job->job.fields.job_id);
  EXPECT_EQ(pool.shares[0].epoch, 1u);

  // The same share again is never sent.
  EXPECT_EQ(gate.process({0, job, unit.extranonce2, unit.version_bits, good}),
            GateVerdict::duplicate);
  EXPECT_EQ(pool.shares.size(), 1u);

  // A "candidate" whose top word fails the target is wrong math: a hardware error.
  const std::uint32_t bad = find_share(job->job, unit, false);
  EXPECT_EQ(gate.process({0, job, unit.extranonce2, unit.version_bits, bad}),
            GateVerdict::hardware_error);
  EXPECT_EQ(pool.shares.size(), 1u);

  const auto s = ledger.snapshot();
  EXPECT_EQ(s.total.found, 2u);
  EXPECT_EQ(s.total.pending, 1u);
  EXPECT_EQ(s.total.hardware_errors, 1u);
  EXPECT_EQ(s.duplicates_dropped, 1u);
  EXPECT_TRUE(s.total.balanced());
}

TEST(ShareGate, TopWordTieAboveTheFullTargetIsANearMissNotAnError) {
  Dispatcher dispatcher(1);
  Ledger ledger(1, 1);
  ShareGate gate(dispatcher, ledger);
  RecordingPoolLink pool;
  gate.attach(&pool);
  stratum::Job job = test_job(1, 1.0);
  const WorkUnit unit = make_work_unit(job, 0);
  const Uint256 h = Uint256::from_le_bytes(kernels::reference_hash(unit.work, 0));
  job.share_target = Uint256{};
  job.share_target.limbs[7] = h.limbs[7];  // same top word, everything below is zero
  dispatcher.set_job(job);
  EXPECT_EQ(gate.process({0, dispatcher.current(), unit.extranonce2, unit.version_bits, 0}),
            GateVerdict::near_miss);
  EXPECT_TRUE(pool.shares.empty());
  EXPECT_EQ(ledger.snapshot().near_misses, 1u);
  EXPECT_EQ(ledger.snapshot().total.found, 0u);
}

TEST(ShareGate, SharesOfAnOlderEpochAreCountedStaleAndNotSent) {
  const double easy = 1.0 / (1u << 28);
  Dispatcher dispatcher(1);
  Ledger ledger(1, 1);
  ShareGate gate(dispatcher, ledger);
  RecordingPoolLink pool;
  gate.attach(&pool);
  dispatcher.set_job(test_job(1, easy));
  const auto old_job = dispatcher.current();
  dispatcher.set_job(test_job(2, easy));  // clean job: new epoch
  const WorkUnit unit = make_work_unit(old_job->job, 0);
  const std::uint32_t good = find_share(old_job->job, unit, true);
  EXPECT_EQ(gate.process({0, old_job, unit.extranonce2, unit.version_bits, good}),
            GateVerdict::stale);
  EXPECT_TRUE(pool.shares.empty());
  const auto s = ledger.snapshot();
  EXPECT_EQ(s.total.stale, 1u);
  EXPECT_TRUE(s.total.balanced());
}

TEST(Dispatcher, MeasuresWhenEveryDevicePickedTheJobUp) {
  Dispatcher dispatcher(2);
  dispatcher.set_job(test_job(1, 1.0));
  const auto g = dispatcher.generation();
  dispatcher.picked_up(0, g);
  EXPECT_EQ(dispatcher.switch_stats().devices_reached, 1u);
  dispatcher.picked_up(0, g);  // twice counts once
  dispatcher.picked_up(1, g);
  EXPECT_EQ(dispatcher.switch_stats().devices_reached, 2u);
  EXPECT_EQ(dispatcher.switch_stats().generation, g);
  dispatcher.set_job(test_job(2, 1.0));
  dispatcher.picked_up(1, g);  // an old generation does not count for the new job
  EXPECT_EQ(dispatcher.switch_stats().devices_reached, 0u);
  EXPECT_EQ(dispatcher.epoch(), 2u);
}

}  // namespace
