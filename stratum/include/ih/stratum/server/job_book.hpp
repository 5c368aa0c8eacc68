// The jobs a server still takes shares for, newest last. A clean job retires the others.
#pragma once

#include <cstddef>
#include <deque>
#include <string_view>

#include "ih/stratum/protocol/header.hpp"

namespace ih::stratum::server {

class JobBook {
 public:
  void add(JobFields job);
  const JobFields* find(std::string_view job_id) const;
  const JobFields* newest() const;
  std::size_t size() const { return jobs_.size(); }
  void clear() { jobs_.clear(); }

 private:
  static constexpr std::size_t kKept = 8;
  std::deque<JobFields> jobs_;
};

}  // namespace ih::stratum::server
