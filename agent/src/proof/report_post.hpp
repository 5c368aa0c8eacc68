// One HTTP POST of a report with libcurl (TLS verified), and what the answer means for the
// pusher: delivered, refused for good (the receiver judged the report; sending it again cannot
// help), or worth retrying (the receiver or the network is not there yet).
#pragma once

#include <chrono>
#include <string>

namespace ih::proof {

struct PostOptions {
  std::string ca_file;  // extra CA bundle (--report-ca)
  std::chrono::milliseconds timeout{std::chrono::seconds(20)};
};

enum class PostVerdict { delivered, refused, retry };

struct PostOutcome {
  PostVerdict verdict = PostVerdict::retry;
  long status = 0;     // HTTP status; 0 when none came back
  std::string reason;  // the transport error or the start of the answer's body (raw remote bytes)
};

// 400, 403, 409, 413 and 422 are final; 429, 5xx, other statuses and transport errors retry.
PostVerdict verdict_for_status(long status);

PostOutcome post_report(const std::string& url, const std::string& body,
                        const std::string& report_name, const PostOptions& options);

}  // namespace ih::proof
