#include "ih/kernels/scanner_catalog.hpp"

namespace ih::kernels {

namespace {

class ReferenceScanner final : public Scanner {
 public:
  std::string_view name() const override { return "reference"; }
  unsigned lanes() const override { return 1; }
  std::uint64_t scan(const Work& work, std::uint32_t first_nonce, std::uint32_t count,
                     Candidates& out) override {
    const std::uint32_t top = work.target.limbs[7];
    std::uint32_t nonce = first_nonce;
    for (std::uint32_t i = 0; i < count; ++i, ++nonce)
      if (Uint256::from_le_bytes(reference_hash(work, nonce)).limbs[7] <= top)
        out.nonces.push_back(nonce);
    return count;
  }
};

}  // namespace

std::unique_ptr<Scanner> make_reference_scanner() {
  return std::make_unique<ReferenceScanner>();
}

}  // namespace ih::kernels
