#include "cli/proxy_local_miner.hpp"

#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cctype>

#include "cli/cpu_thread_plan.hpp"
#include "config/mine_config.hpp"
#include "engine/gpu_selection.hpp"
#include "ih/hwdetect/thread_plan.hpp"

namespace ih::agent {

namespace {

std::string default_worker() {
  char host[256] = {};
  if (::gethostname(host, sizeof host - 1) != 0 || host[0] == '\0') return "local.proxy-host";
  std::string name = "local.";
  for (const char* c = host; *c; ++c)
    name += (std::isalnum(static_cast<unsigned char>(*c)) || *c == '-') ? *c : '_';
  return name;
}

}  // namespace

Result<std::unique_ptr<Engine>> start_local_miner(const LocalMinerOptions& o) {
  EngineOptions options;
  options.cpu = o.cpu;
  options.cpu_kernel = o.cpu_kernel;
  std::string cpu_text = "no CPU";
  if (o.cpu) {
    MineConfig config;
    config.threads = o.threads;
    config.cpu_kernel = o.cpu_kernel;
    auto plan = plan_cpu_threads(config);
    if (!plan) return plan.error();
    options.pin_to = plan->pus;
    options.pin = [topology = plan->topology](unsigned pu) -> std::optional<std::string> {
      if (auto error = topology->pin_current_thread(pu)) return error->message;
      return std::nullopt;
    };
    cpu_text = std::to_string(plan->pus.size()) + " CPU thread(s) (" +
               hwdetect::format_cpu_list(plan->pus) + ")";
  }
  std::string gpu_text;
  if (o.gpu) {
    auto gpus = select_gpu_devices(o.cuda_devices, o.opencl_devices, false);
    if (!gpus) return gpus.error();
    if (gpus->devices.empty()) {
      std::string why = "no usable GPU for --gpu";
      for (const auto& line : gpus->unavailable) why += "; " + line;
      return Error{why};
    }
    for (const auto& line : gpus->unavailable) spdlog::info("GPU not used: {}", line);
    for (const auto& device : gpus->devices) gpu_text += ", " + device.name;
    options.gpus = std::move(gpus->devices);
  }
  const bool any = o.proxy_host == "0.0.0.0" || o.proxy_host == "::" || o.proxy_host.empty();
  const std::string host = any ? "127.0.0.1" : o.proxy_host;
  stratum::PoolEndpoint endpoint;
  endpoint.url = "stratum+tcp://" +
                 (host.find(':') != std::string::npos ? "[" + host + "]" : host) + ":" +
                 std::to_string(o.proxy_port);
  endpoint.user = o.worker.empty() ? default_worker() : o.worker;
  endpoint.password = "x";
  options.pool.pools = {endpoint};
  options.pool.extranonce_subscribe = true;  // moved between pools in place
  options.pool.backoff_initial = std::chrono::milliseconds(500);
  options.pool.backoff_max = std::chrono::seconds(5);
  auto engine = Engine::create(options, make_stratum_pool_link, {});
  if (!engine) return engine.error();
  spdlog::info("local mining as {} on {}{}, through the proxy", endpoint.user, cpu_text, gpu_text);
  (*engine)->start();
  return std::move(*engine);
}

}  // namespace ih::agent
