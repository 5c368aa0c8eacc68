#include "ih/bench/digest.hpp"

#include <algorithm>

#include "ih/bench/synthetic_job.hpp"
#include "ih/hex_encode.hpp"
#include "ih/kernels/scanner_catalog.hpp"

namespace ih::bench {

namespace {

std::string digest_of(const Header80& header, const std::vector<std::uint32_t>& sorted_nonces) {
  kernels::Sha256 h;
  h.update(header);
  for (std::uint32_t n : sorted_nonces) {
    const std::uint8_t le[4] = {static_cast<std::uint8_t>(n), static_cast<std::uint8_t>(n >> 8),
                                static_cast<std::uint8_t>(n >> 16),
                                static_cast<std::uint8_t>(n >> 24)};
    h.update(le);
  }
  return hex_encode(h.finish());
}

}  // namespace

Result<std::string> scanner_digest(kernels::Scanner& scanner, std::uint64_t seed) {
  const Header80 header = synthetic_header(seed);
  const DigestRange range = digest_range(seed);
  const kernels::Work work = kernels::make_work(header, range.target);
  kernels::Candidates found;
  const std::uint64_t done = scanner.scan(work, range.first_nonce, range.count, found);
  const std::string who(scanner.name());
  if (done != range.count)
    return make_error(who + " reported " + std::to_string(done) + " hashes for a range of " +
                      std::to_string(range.count));
  // The digest target's low limbs are all ones, so "limb 7 qualifies" is the whole test.
  for (std::uint32_t nonce : found.nonces) {
    if (nonce - range.first_nonce >= range.count)
      return make_error(who + " reported nonce " + std::to_string(nonce) +
                        " outside the scanned range");
    if (!hash_meets_target(kernels::reference_hash(work, nonce), range.target))
      return make_error(who + " reported nonce " + std::to_string(nonce) +
                        " whose hash does not meet the target (kernel or hardware error)");
  }
  std::vector<std::uint32_t> sorted = found.nonces;
  std::sort(sorted.begin(), sorted.end());
  if (std::adjacent_find(sorted.begin(), sorted.end()) != sorted.end())
    return make_error(who + " reported the same nonce twice");
  return digest_of(header, sorted);
}

std::string reference_digest(std::uint64_t seed) {
  auto scanner = kernels::make_reference_scanner();
  auto digest = scanner_digest(*scanner, seed);
  return digest ? *digest : std::string{};
}

}  // namespace ih::bench
