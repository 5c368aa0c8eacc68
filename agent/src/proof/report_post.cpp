#include "proof/report_post.hpp"

#include <curl/curl.h>

#include <algorithm>
#include <memory>

namespace ih::proof {

namespace {

// Keeps the first bytes of the answer: enough for a receiver's reasons, bounded against a
// receiver that streams without end.
constexpr std::size_t kKeptAnswerBytes = 2048;

std::size_t keep_start(char* data, std::size_t size, std::size_t count, void* user) {
  auto* kept = static_cast<std::string*>(user);
  const std::size_t n = size * count;
  if (kept->size() < kKeptAnswerBytes)
    kept->append(data, std::min(n, kKeptAnswerBytes - kept->size()));
  return n;
}

}  // namespace

PostVerdict verdict_for_status(long status) {
  if (status >= 200 && status < 300) return PostVerdict::delivered;
  switch (status) {
    case 400:  // malformed
    case 403:  // the key may not report for these workers
    case 409:  // a share already claimed
    case 413:  // too large: it will not shrink
    case 422:  // invalid
      return PostVerdict::refused;
    default:
      return PostVerdict::retry;
  }
}

PostOutcome post_report(const std::string& url, const std::string& body,
                        const std::string& report_name, const PostOptions& options) {
  PostOutcome out;
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), curl_easy_cleanup);
  if (!curl) {
    out.reason = "curl_easy_init failed";
    return out;
  }
  std::unique_ptr<curl_slist, decltype(&curl_slist_free_all)> headers(
      curl_slist_append(nullptr, "Content-Type: application/json"), curl_slist_free_all);
  curl_slist_append(headers.get(), ("X-IH-Report: " + report_name).c_str());
  char error[CURL_ERROR_SIZE] = {};
  std::string answer;
  CURL* c = curl.get();
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_POSTFIELDS, body.data());
  curl_easy_setopt(c, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(options.timeout.count()));
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
  if (!options.ca_file.empty()) curl_easy_setopt(c, CURLOPT_CAINFO, options.ca_file.c_str());
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, keep_start);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, error);
  const CURLcode rc = curl_easy_perform(c);
  if (rc != CURLE_OK) {
    out.reason = error[0] != 0 ? error : curl_easy_strerror(rc);
    return out;
  }
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out.status);
  out.verdict = verdict_for_status(out.status);
  out.reason = "HTTP status " + std::to_string(out.status);
  if (!answer.empty()) out.reason += ": " + answer;
  return out;
}

}  // namespace ih::proof
