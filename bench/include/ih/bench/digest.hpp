// The verifiable benchmark digest: SHA-256 over the header template and the sorted candidate
// nonces a scanner finds in the seed's digest range. Every correct scanner yields the same one.
#pragma once

#include <cstdint>
#include <string>

#include "ih/kernels/scanner.hpp"
#include "ih/result.hpp"

namespace ih::bench {

// Runs `scanner` over digest_range(seed) and returns the digest (64 hex digits). Errors when the
// scanner reports a nonce outside the range, twice, or one whose reference hash does not meet
// the target. A missed nonce shows as a digest that differs from reference_digest().
Result<std::string> scanner_digest(kernels::Scanner& scanner, std::uint64_t seed);

// The digest computed with the reference scanner: what --verify compares against.
std::string reference_digest(std::uint64_t seed);

}  // namespace ih::bench
