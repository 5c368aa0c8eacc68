// The pure, per-pool parts of pools.toml: URLs, upstream worker names, worker filters.
#include "proxy/proxy_config.hpp"

#include <algorithm>

namespace ih::proxy {

namespace {

constexpr std::size_t kMaxWorkerSuffix = 64;

bool suffix_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

std::string ProxyPool::url() const {
  return "stratum+tcp://" + host + ":" + std::to_string(port);
}

std::string upstream_worker_name(const ProxyPool& pool, std::string_view downstream_worker) {
  if (pool.worker_id.empty()) return std::string(downstream_worker);
  const std::size_t dot = downstream_worker.find('.');
  std::string_view suffix =
      dot == std::string_view::npos ? downstream_worker : downstream_worker.substr(dot + 1);
  suffix = suffix.substr(0, kMaxWorkerSuffix);
  std::string clean(suffix);
  std::replace_if(
      clean.begin(), clean.end(), [](char c) { return !suffix_char(c); }, '_');
  if (clean.empty()) clean = "default";
  return pool.worker_id + "." + clean;
}

bool glob_match(std::string_view pattern, std::string_view text) {
  // Iterative with one backtrack point: linear-ish, no recursion on hostile patterns.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == text[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool worker_allowed(const FilterConfig& filters, std::string_view downstream_worker) {
  const auto matches = [&](const std::vector<std::string>& patterns) {
    return std::any_of(patterns.begin(), patterns.end(),
                       [&](const std::string& p) { return glob_match(p, downstream_worker); });
  };
  if (matches(filters.blocked_workers)) return false;
  return filters.allowed_workers.empty() || matches(filters.allowed_workers);
}

}  // namespace ih::proxy
