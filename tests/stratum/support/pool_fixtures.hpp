// Jobs and shares the PoolClient tests send through the scripted pool.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "ih/stratum/client/pool_client.hpp"

namespace ih::test {

// mining.notify params of a small valid job.
inline nlohmann::json notify_params(const std::string& job_id, bool clean = true) {
  return nlohmann::json::array({job_id, std::string(64, '1'), "01000000", "ffffffff",
                                nlohmann::json::array(), "20000000", "207fffff", "6b0c221d",
                                clean});
}

// A share of `job` (the pool under test does not check the hash).
inline stratum::Share share_for(const stratum::Job& job, std::uint32_t nonce) {
  stratum::Share s;
  s.job_id = job.fields.job_id;
  s.extranonce2 = stratum::Bytes(job.extranonce2_size, 0);
  s.ntime = job.fields.ntime;
  s.nonce = nonce;
  s.epoch = job.epoch;
  return s;
}

}  // namespace ih::test
