// libFuzzer target: arbitrary bytes as the `mine` JSON config file, then validation and the
// masked print-out. Bad input must end in an error message, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string>

#include "config/mine_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ih::agent;
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto config = apply_config_json(MineConfig{}, text);
  if (!config) return 0;
  (void)validate_config(*config);
  (void)config_to_masked_json(*config);
  (void)apply_environment(*config, {{"IH_URL", text}, {"IH_USER", text}});
  return 0;
}
