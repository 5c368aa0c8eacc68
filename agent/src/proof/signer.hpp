// Who signs window reports. One small interface so the miner's Bittensor hotkey (sr25519) can
// sit beside the agent's own Ed25519 key later without touching report code (DESIGN §6).
#pragma once

#include <memory>
#include <span>
#include <string>

#include "ih/result.hpp"
#include "proof/share_proof.hpp"

namespace ih::proof {

class Signer {
 public:
  virtual ~Signer() = default;
  virtual std::string scheme() const = 0;  // "ed25519"
  virtual Bytes public_key() const = 0;
  virtual Bytes sign(std::span<const std::uint8_t> message) const = 0;
};

// Loads a PEM Ed25519 private key; refuses a file that group or others may read.
Result<std::unique_ptr<Signer>> load_ed25519_signer(const std::string& path);
// Writes a new key (mode 0600, never over an existing file); returns its signer.
Result<std::unique_ptr<Signer>> generate_ed25519_key(const std::string& path);
// Loads `path`, creating it first when it does not exist.
Result<std::unique_ptr<Signer>> load_or_create_ed25519_signer(const std::string& path);

// Checks `signature` over `message` under `scheme`; false on a scheme it does not know.
bool verify_signature(const std::string& scheme, std::span<const std::uint8_t> public_key,
                      std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature);

}  // namespace ih::proof
