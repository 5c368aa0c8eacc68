#include "collect/agent_authority.hpp"

#include <toml++/toml.h>
#include <algorithm>
#include <cctype>

namespace ih::collect {

namespace {

constexpr std::size_t kEd25519KeyHexChars = 64;

class OpenAuthority final : public AgentAuthority {
 public:
  Authorization authorize(const std::string&, const std::vector<std::string>&) const override {
    return {true, false, {}};
  }
};

class RegistryAuthority final : public AgentAuthority {
 public:
  explicit RegistryAuthority(KeyRegistry registry) : registry_(std::move(registry)) {}

  Authorization authorize(const std::string& agent_key,
                          const std::vector<std::string>& worker_ids) const override {
    Authorization out{true, true, {}};
    for (const std::string& worker : worker_ids) {
      const std::string hotkey = worker_hotkey(worker);
      if (hotkey.empty()) {
        out.reasons.push_back("worker_without_hotkey: " + worker);
        continue;
      }
      const auto it = registry_.find(hotkey);
      if (it == registry_.end() || it->second.count(agent_key) == 0)
        out.reasons.push_back("key_not_registered: the agent key is not registered for hotkey " +
                              hotkey);
    }
    out.allowed = out.reasons.empty();
    out.bound = out.allowed;
    return out;
  }

 private:
  KeyRegistry registry_;
};

bool is_hex_key(const std::string& s) {
  return s.size() == kEd25519KeyHexChars &&
         std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isxdigit(c); });
}

std::string at_line(const std::string& path, const toml::source_region& where) {
  return path + ":" + std::to_string(where.begin.line);
}

}  // namespace

std::string worker_hotkey(std::string_view worker_id) {
  const std::size_t first = worker_id.find('.');
  if (first == std::string_view::npos) return {};
  const std::size_t second = worker_id.find('.', first + 1);
  if (second == std::string_view::npos) return {};
  return std::string(worker_id.substr(first + 1, second - first - 1));
}

std::unique_ptr<AgentAuthority> open_authority() {
  return std::make_unique<OpenAuthority>();
}

std::unique_ptr<AgentAuthority> registry_authority(KeyRegistry registry) {
  return std::make_unique<RegistryAuthority>(std::move(registry));
}

Result<KeyRegistry> load_key_registry(const std::string& path) {
  toml::table doc;
  try {
    doc = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return make_error("--keys " + at_line(path, e.source()) + ": " + std::string(e.description()));
  }
  const toml::table* hotkeys = doc["hotkeys"].as_table();
  if (!hotkeys) return make_error("--keys " + path + ": no [hotkeys] table");
  KeyRegistry registry;
  for (const auto& [hotkey, value] : *hotkeys) {
    const toml::array* keys = value.as_array();
    if (!keys)
      return make_error("--keys " + at_line(path, value.source()) + ": hotkey '" +
                        std::string(hotkey.str()) + "' needs an array of agent keys");
    auto& allowed = registry[std::string(hotkey.str())];
    for (const toml::node& key : *keys) {
      const auto text = key.value<std::string>();
      if (!text || !is_hex_key(*text))
        return make_error("--keys " + at_line(path, key.source()) +
                          ": an agent key is 64 hex characters (an Ed25519 public key, as "
                          "keygen prints it)");
      std::string lower = *text;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      allowed.insert(std::move(lower));
    }
  }
  return registry;
}

}  // namespace ih::collect
