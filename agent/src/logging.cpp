#include "logging.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <unistd.h>

#include <atomic>
#include <memory>
#include <vector>

namespace ih::agent {

namespace {
std::atomic<bool> g_console_color{false};
}  // namespace

bool console_color() {
  return g_console_color.load();
}

std::string setup_logging(const LogOptions& options) {
  auto level = spdlog::level::from_str(options.level);
  // from_str maps anything unknown to "off"; only accept that when it was asked for.
  if (level == spdlog::level::off && options.level != "off")
    return "unknown log level '" + options.level +
           "' (expected trace, debug, info, warn, error, critical or off)";
  if (options.quiet && level < spdlog::level::warn) level = spdlog::level::warn;

  g_console_color = options.color && ::isatty(STDERR_FILENO) == 1;
  std::vector<spdlog::sink_ptr> sinks;
  auto console = std::make_shared<spdlog::sinks::stderr_color_sink_mt>(
      options.color ? spdlog::color_mode::automatic : spdlog::color_mode::never);
  sinks.push_back(console);
  if (!options.file.empty()) {
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(options.file));
    } catch (const spdlog::spdlog_ex& e) {
      return "cannot open log file '" + options.file + "': " + e.what();
    }
  }
  auto logger = std::make_shared<spdlog::logger>("ih", sinks.begin(), sinks.end());
  logger->set_level(level);
  logger->set_pattern("[%Y-%m-%d %H:%M:%S.%e] [%^%l%$] %v");
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(logger);
  return {};
}

}  // namespace ih::agent
