// `infinite-hashes collect` without its command line: the store under the data dir, the key
// registry, the ingest, the routes on the status endpoint's HTTP server, and a retention sweep.
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "collect/collect_store.hpp"
#include "collect/report_ingest.hpp"
#include "ih/result.hpp"

namespace ih::collect {

struct CollectOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 0;
  std::string tls_cert, tls_key;  // both: HTTPS
  std::filesystem::path data_dir;
  std::string keys_file;  // empty: every key accepted, workers unbound
  std::chrono::seconds retention{2 * 24 * 3600};
  std::size_t max_body = 16u << 20;  // a 2 000-proof report is about 0.5 MB
  unsigned threads = 4;
  IngestOptions ingest;
  std::chrono::seconds purge_every{600};
};

class CollectService {
 public:
  // Opens (or creates) <data-dir>/collect.sqlite and reads the key file; serves nothing yet.
  static Result<std::unique_ptr<CollectService>> open(CollectOptions options);
  ~CollectService();
  CollectService(const CollectService&) = delete;
  CollectService& operator=(const CollectService&) = delete;

  Result<std::uint16_t> start();  // binds and serves
  void stop();
  std::string url() const;
  CollectStore& store();

  struct Impl;

 private:
  explicit CollectService(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace ih::collect
