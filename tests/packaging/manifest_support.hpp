// Reading the packaging files in tests: YAML documents by kind, the Dockerfile's text.
#pragma once

#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace ih::test {

inline std::string packaging_path(const std::string& relative) {
  return std::string(IH_PACKAGING_DIR) + "/" + relative;
}

inline std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The one document of `kind` in a packaging file (throws when there is none).
inline YAML::Node document_of_kind(const std::string& relative, const std::string& kind) {
  for (const YAML::Node& doc : YAML::LoadAllFromFile(packaging_path(relative)))
    if (doc["kind"] && doc["kind"].as<std::string>() == kind) return doc;
  throw std::runtime_error(relative + " has no " + kind);
}

// The element of a sequence whose `key` is `value` (a null node when none is).
inline YAML::Node find_by(const YAML::Node& sequence, const std::string& key,
                          const std::string& value) {
  if (sequence.IsSequence())
    for (const YAML::Node& item : sequence)
      if (item[key] && item[key].as<std::string>() == value) return item;
  return YAML::Node(YAML::NodeType::Null);
}

inline std::vector<std::string> strings(const YAML::Node& sequence) {
  std::vector<std::string> out;
  if (sequence.IsSequence())
    for (const YAML::Node& item : sequence) out.push_back(item.as<std::string>());
  return out;
}

inline bool contains(const std::vector<std::string>& list, const std::string& value) {
  for (const auto& item : list)
    if (item == value) return true;
  return false;
}

// A file mode written as YAML 1.1 octal (0400) or decimal (256), as Kubernetes reads it.
inline int file_mode(const YAML::Node& node) {
  return std::stoi(node.as<std::string>(), nullptr, 0);
}

// "30s", "1m30s" (compose durations) in seconds.
inline int duration_seconds(const std::string& text) {
  int total = 0;
  int number = 0;
  for (char c : text) {
    if (c >= '0' && c <= '9') {
      number = number * 10 + (c - '0');
    } else {
      total += number * (c == 'h' ? 3600 : c == 'm' ? 60 : 1);
      number = 0;
    }
  }
  return total + number;
}

}  // namespace ih::test
