// The engine's handle on "the pool": stratum::PoolClient in production (pool_client_link.cpp).
// An interface so the engine does not care whether shares travel over TCP.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "ih/stratum/client/pool_client.hpp"

namespace ih::agent {

class PoolLink {
 public:
  virtual ~PoolLink() = default;
  virtual void start() = 0;
  virtual void stop() = 0;
  // Every call ends in exactly one PoolEvents::on_submit_result with the returned id.
  virtual std::uint64_t submit(const stratum::Share& share) = 0;
  virtual std::size_t pending_submits() const = 0;
  // Asks the pool for this share difficulty (mining.suggest_difficulty); pools may ignore it.
  virtual void suggest_difficulty(double difficulty) { (void)difficulty; }
};

using PoolLinkFactory =
    std::function<std::unique_ptr<PoolLink>(stratum::PoolClientOptions, stratum::PoolEvents)>;

// Links to real pools over Stratum V1 (TCP/TLS) through stratum::PoolClient.
std::unique_ptr<PoolLink> make_stratum_pool_link(stratum::PoolClientOptions options,
                                                 stratum::PoolEvents events);

}  // namespace ih::agent
