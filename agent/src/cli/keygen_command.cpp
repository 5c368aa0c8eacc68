// `infinite-hashes keygen --out FILE`: a new Ed25519 key for signing window reports.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cli/commands.hpp"
#include "ih/hex_encode.hpp"
#include "proof/signer.hpp"

namespace ih::agent {

CommandMain add_keygen_command(CLI::App& app) {
  auto out = std::make_shared<std::string>();
  CLI::App* sub = app.add_subcommand(
      "keygen",
      "Write a new Ed25519 key (mode 0600) for signing window reports; prints the "
      "public key (hex)");
  sub->add_option("--out", *out, "Key file to create (never overwritten)")->required();
  return [out] {
    auto signer = proof::generate_ed25519_key(*out);
    if (!signer) {
      std::fprintf(stderr, "infinite-hashes keygen: %s\n", signer.error().message.c_str());
      return 1;
    }
    std::printf("%s\n", hex_encode((*signer)->public_key()).c_str());
    return 0;
  };
}

}  // namespace ih::agent
