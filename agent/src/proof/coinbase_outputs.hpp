// The output scripts of a serialised (non-witness) coinbase transaction, for --payout-script.
#pragma once

#include <optional>
#include <span>
#include <vector>

#include "proof/share_proof.hpp"

namespace ih::proof {

// Empty when the bytes are not one transaction with exactly one input.
std::optional<std::vector<Bytes>> coinbase_output_scripts(std::span<const std::uint8_t> tx);

}  // namespace ih::proof
