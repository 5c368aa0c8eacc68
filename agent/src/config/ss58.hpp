// SS58 (Substrate) account addresses: what --hotkey must be. Checked with the BLAKE2b-512
// checksum so a typo never turns into hashrate credited to nobody.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ih/result.hpp"

namespace ih::agent {

struct Ss58Address {
  std::uint16_t network = 0;             // 42 generic substrate, 0 polkadot, ...
  std::vector<std::uint8_t> account_id;  // 32 bytes
};

// Validates an SS58 account address: base58 characters, 1- or 2-byte network prefix, 32-byte
// account id, 2-byte checksum. A hotkey *name* ("default") gets an error that says so.
Result<Ss58Address> parse_ss58(std::string_view text);

// The address of a 32-byte account id under `network` (< 16384).
std::string encode_ss58(std::uint16_t network, std::span<const std::uint8_t> account_id);

// Plain base58 (Bitcoin alphabet); exposed for tests.
std::string base58_encode(std::span<const std::uint8_t> bytes);
Result<std::vector<std::uint8_t>> base58_decode(std::string_view text);

// sn89auction.<SS58>.<worker>: the worker name SN89's pool credits.
Result<std::string> sn89_worker_name(std::string_view subaccount, std::string_view hotkey,
                                     std::string_view worker);

}  // namespace ih::agent
