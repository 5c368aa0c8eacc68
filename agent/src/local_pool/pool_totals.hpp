// The built-in local pool's share counts over all its connections; shared with other threads.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

namespace ih::agent::local_pool {

class PoolTotals {
 public:
  void accepted(double difficulty);
  void rejected(const std::string& reason);
  void stale();  // a share for a job that is gone (code 21): counted apart from rejections
  std::uint64_t accepted_count() const;
  std::uint64_t rejected_count() const;
  std::uint64_t stale_count() const;
  std::map<std::string, std::uint64_t> reject_reasons() const;

 private:
  mutable std::mutex mutex_;
  std::uint64_t accepted_ = 0;
  std::uint64_t rejected_ = 0;
  std::uint64_t stale_ = 0;
  std::map<std::string, std::uint64_t> reasons_;
};

}  // namespace ih::agent::local_pool
