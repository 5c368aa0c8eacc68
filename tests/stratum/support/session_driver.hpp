// Drives a Session with scripted pool lines and a fake clock, sorting its actions by kind.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ih/stratum/client/session.hpp"

namespace ih::test {

class SessionDriver {
 public:
  using json = nlohmann::json;
  explicit SessionDriver(stratum::SessionOptions options = {}) : session(std::move(options)) {}

  void connect(std::size_t pool = 0) {
    session.connected(now, pool, endpoint);
    pump();
  }
  void feed_raw(std::string_view bytes) {
    session.received(bytes, now);
    pump();
  }
  void feed(const json& message) { feed_raw(message.dump() + "\n"); }
  void reply(const json& id, const json& result) {
    feed({{"id", id}, {"result", result}, {"error", nullptr}});
  }
  void notify(const std::string& method, const json& params) {
    feed({{"id", nullptr}, {"method", method}, {"params", params}});
  }
  void advance(std::chrono::milliseconds by) {
    now += by;
    session.tick(now);
    pump();
  }
  void submit(std::uint64_t share_id, const stratum::Share& share) {
    session.submit(share_id, share, now);
    pump();
  }
  void disconnected(std::string_view reason = "test") {
    session.disconnected(reason);
    pump();
  }

  // The next line the session wrote, parsed; fails unless it is a request for `method`.
  json expect_request(const std::string& method) {
    if (writes.empty()) {
      ADD_FAILURE() << "expected " << method << ", nothing was written";
      return nullptr;
    }
    json j = json::parse(writes.front(), nullptr, false);
    writes.erase(writes.begin());
    if (j.is_discarded() || j.value("method", "") != method) {
      ADD_FAILURE() << "expected " << method << ", got " << j.dump();
      return nullptr;
    }
    return j;
  }
  json expect_write() {
    if (writes.empty()) {
      ADD_FAILURE() << "nothing was written";
      return nullptr;
    }
    json j = json::parse(writes.front(), nullptr, false);
    writes.erase(writes.begin());
    return j;
  }

  // configure -> rolling with mask; subscribe -> [null, en1, size]; authorize -> true.
  void handshake(const std::string& extranonce1 = "9d210c6b", int size = 8,
                 const std::string& mask = "1fffe000") {
    auto c = expect_request("mining.configure");
    auto s = expect_request("mining.subscribe");
    reply(c["id"], {{"version-rolling", true}, {"version-rolling.mask", mask}});
    reply(s["id"], json::array({nullptr, extranonce1, size}));
    auto a = expect_request("mining.authorize");
    reply(a["id"], true);
  }

  stratum::Session session;
  stratum::PoolEndpoint endpoint{std::string(), "refminer.worker1", "x", {}};
  stratum::Session::TimePoint now{std::chrono::seconds(1000)};
  std::vector<std::string> writes;
  std::vector<stratum::Job> jobs;
  std::vector<stratum::SubmitResult> results;
  std::vector<stratum::action::Disconnect> disconnects;
  std::vector<std::string> warnings;
  std::vector<std::string> messages;
  int ready = 0;

 private:
  void pump() {
    for (auto& a : session.take_actions()) {
      if (auto* w = std::get_if<stratum::action::Write>(&a)) writes.push_back(w->bytes);
      if (auto* j = std::get_if<stratum::action::NewJob>(&a)) jobs.push_back(j->job);
      if (auto* r = std::get_if<stratum::action::SubmitDone>(&a)) results.push_back(r->result);
      if (auto* d = std::get_if<stratum::action::Disconnect>(&a)) disconnects.push_back(*d);
      if (auto* m = std::get_if<stratum::action::Warning>(&a)) warnings.push_back(m->text);
      if (auto* m = std::get_if<stratum::action::PoolMessage>(&a)) messages.push_back(m->text);
      if (std::holds_alternative<stratum::action::Ready>(a)) ++ready;
    }
  }
};

}  // namespace ih::test
