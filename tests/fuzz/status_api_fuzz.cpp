// libFuzzer target: what an API client controls, handed to the status endpoint's handlers as
// the HTTP server would hand it over: a JSON-RPC body, a cgminer API request, the query
// parameters of GET /api/v1/workers and /api/v1/reports (whose `name` opens a file: it must
// never leave the reports folder). Every input must end in a response, never a crash.
//
// Input: byte 0 picks the handler; for the GET routes the rest is "key=value" lines.
#include <unistd.h>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>

#include "proof/proof_api.hpp"
#include "proof/proof_store.hpp"
#include "status/cgminer_reply.hpp"
#include "status/status_routes.hpp"

namespace {

using namespace ih::agent::status;

// A source with fixed figures: the handlers only read a snapshot and flip the pause flag.
class FixedSource final : public StatusSource {
 public:
  StatusSnapshot snapshot() const override {
    StatusSnapshot s;
    s.version = "0.1.0";
    s.worker_id = "sn89auction.worker";
    s.paused = paused_;
    return s;
  }
  std::vector<HashrateSample> history() const override { return {}; }
  std::string instance_id() const override { return "fuzz"; }
  void set_paused(bool paused) override { paused_ = paused; }

 private:
  bool paused_ = false;
};

struct Fixture {
  std::filesystem::path root;
  std::unique_ptr<ih::proof::ProofStore> store;
  std::vector<ApiRoute> proof_routes;
  FixedSource source;

  Fixture() {
    root = std::filesystem::temp_directory_path() / ("ih-status-fuzz-" + std::to_string(getpid()));
    std::filesystem::create_directories(root / "reports");
    // A file beside the reports folder that a traversing name would reach.
    std::ofstream(root / "secret.json") << "{\"secret\":true}";
    store = ih::proof::ProofStore::open({.dir = root / "proofs"}).value();
    proof_routes = ih::proof::proof_api_routes(
        {.store = store.get(), .reports_dir = root / "reports", .proof_difficulty = 1});
  }
};

Fixture& fixture() {
  static Fixture f;
  return f;
}

ApiRequest get_request(std::string path, const std::string& lines) {
  ApiRequest r{"GET", std::move(path), {}, {}};
  std::size_t at = 0;
  while (at <= lines.size()) {
    std::size_t end = lines.find('\n', at);
    if (end == std::string::npos) end = lines.size();
    const std::string line = lines.substr(at, end - at);
    const std::size_t eq = line.find('=');
    if (eq != std::string::npos) r.params.emplace(line.substr(0, eq), line.substr(eq + 1));
    at = end + 1;
  }
  return r;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  Fixture& f = fixture();
  const std::string rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 4) {
    case 0:
      (void)handle_json_rpc({"POST", "/json_rpc", {}, rest}, f.source);
      break;
    case 1:
      (void)cgminer_reply(rest, f.source.snapshot());
      break;
    default: {
      const ApiRoute& route = f.proof_routes.at(data[0] % 2);
      const ApiResponse response = route.handler(get_request(route.path, rest));
      if (response.body.find("\"secret\"") != std::string::npos) __builtin_trap();
      break;
    }
  }
  return 0;
}
