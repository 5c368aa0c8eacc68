#include "collect/collect_service.hpp"

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <mutex>
#include <thread>

#include "collect/collect_routes.hpp"
#include "proof/utc_time.hpp"
#include "status/status_server.hpp"

namespace ih::collect {

struct CollectService::Impl {
  CollectOptions options;
  std::unique_ptr<CollectStore> store;
  std::unique_ptr<AgentAuthority> authority;
  CollectMetrics metrics;
  std::unique_ptr<ReportIngest> ingest;
  std::unique_ptr<agent::status::StatusServer> server;
  std::thread sweeper;
  std::mutex mutex;
  std::condition_variable wake;
  bool stopping = false;

  void sweep_loop() {
    std::unique_lock lock(mutex);
    while (!stopping) {
      lock.unlock();
      if (const auto n = store->purge(proof::utc_now_ms()); n > 0)
        spdlog::info("collect: retention removed {} report(s)", n);
      lock.lock();
      wake.wait_for(lock, options.purge_every, [&] { return stopping; });
    }
  }
};

CollectService::CollectService(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

CollectService::~CollectService() {
  stop();
}

Result<std::unique_ptr<CollectService>> CollectService::open(CollectOptions options) {
  auto impl = std::make_unique<Impl>();
  StoreOptions store_options;
  store_options.path = options.data_dir / "collect.sqlite";
  store_options.retention = options.retention;
  auto store = CollectStore::open(store_options);
  if (!store) return store.error();
  impl->store = std::move(*store);
  if (options.keys_file.empty()) {
    impl->authority = open_authority();
  } else {
    auto registry = load_key_registry(options.keys_file);
    if (!registry) return registry.error();
    spdlog::info("collect: {} hotkey(s) registered in {}", registry->size(), options.keys_file);
    impl->authority = registry_authority(std::move(*registry));
  }
  impl->ingest =
      std::make_unique<ReportIngest>(*impl->store, *impl->authority, impl->metrics, options.ingest);
  impl->options = std::move(options);
  return std::unique_ptr<CollectService>(new CollectService(std::move(impl)));
}

Result<std::uint16_t> CollectService::start() {
  Impl& m = *impl_;
  agent::status::StatusServerOptions server_options;
  server_options.host = m.options.host;
  server_options.port = m.options.port;
  server_options.tls_cert_file = m.options.tls_cert;
  server_options.tls_key_file = m.options.tls_key;
  server_options.threads = m.options.threads;
  server_options.max_body = m.options.max_body;
  server_options.read_timeout = std::chrono::seconds(30);  // a large report on a slow link
  m.server = std::make_unique<agent::status::StatusServer>(server_options);
  for (auto& route : collect_routes(*m.ingest, *m.store, m.metrics, proof::utc_now_ms))
    m.server->add_route(std::move(route));
  auto port = m.server->start();
  if (!port) return port;
  m.sweeper = std::thread([&m] { m.sweep_loop(); });
  return port;
}

void CollectService::stop() {
  Impl& m = *impl_;
  if (m.server) m.server->stop();
  {
    std::lock_guard lock(m.mutex);
    m.stopping = true;
  }
  m.wake.notify_all();
  if (m.sweeper.joinable()) m.sweeper.join();
}

std::string CollectService::url() const {
  return impl_->server ? impl_->server->url() : std::string();
}

CollectStore& CollectService::store() {
  return *impl_->store;
}

}  // namespace ih::collect
