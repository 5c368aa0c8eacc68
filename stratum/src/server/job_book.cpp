#include "ih/stratum/server/job_book.hpp"

namespace ih::stratum::server {

void JobBook::add(JobFields job) {
  if (job.clean_jobs) jobs_.clear();
  jobs_.push_back(std::move(job));
  while (jobs_.size() > kKept) jobs_.pop_front();
}

const JobFields* JobBook::find(std::string_view job_id) const {
  for (const auto& j : jobs_)
    if (j.job_id == job_id) return &j;
  return nullptr;
}

const JobFields* JobBook::newest() const {
  return jobs_.empty() ? nullptr : &jobs_.back();
}

}  // namespace ih::stratum::server
