// The production PoolLink: Stratum V1 over TCP/TLS via stratum::PoolClient.
#include "engine/pool_link.hpp"

namespace ih::agent {

namespace {

class StratumPoolLink final : public PoolLink {
 public:
  StratumPoolLink(stratum::PoolClientOptions options, stratum::PoolEvents events)
      : client_(std::move(options), std::move(events)) {}
  void start() override { client_.start(); }
  void stop() override { client_.stop(); }
  std::uint64_t submit(const stratum::Share& share) override { return client_.submit(share); }
  std::size_t pending_submits() const override { return client_.pending_submits(); }
  void suggest_difficulty(double difficulty) override { client_.suggest_difficulty(difficulty); }

 private:
  stratum::PoolClient client_;
};

}  // namespace

std::unique_ptr<PoolLink> make_stratum_pool_link(stratum::PoolClientOptions options,
                                                 stratum::PoolEvents events) {
  return std::make_unique<StratumPoolLink>(std::move(options), std::move(events));
}

}  // namespace ih::agent
