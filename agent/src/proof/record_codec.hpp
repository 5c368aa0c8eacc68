// Binary payloads of the proof log's records (docs/proof-log.md): one job record per job and
// file, then share records that name it by its key. Decoding checks every length.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "proof/share_proof.hpp"

namespace ih::proof {

enum class RecordType : std::uint8_t { job = 1, share = 2 };

struct ShareRecord {
  std::uint32_t job_key = 0;
  ShareProof share;  // share.job is not stored
};

Bytes encode_job_record(std::uint32_t key, const ProofJob& job);
Bytes encode_share_record(std::uint32_t job_key, const ShareProof& share);

std::optional<RecordType> record_type(std::span<const std::uint8_t> payload);
// Empty on a payload that does not parse.
std::optional<std::pair<std::uint32_t, ProofJob>> decode_job_record(
    std::span<const std::uint8_t> payload);
std::optional<ShareRecord> decode_share_record(std::span<const std::uint8_t> payload);

}  // namespace ih::proof
