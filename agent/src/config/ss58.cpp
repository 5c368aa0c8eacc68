#include "config/ss58.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <memory>

#include "config/quoted.hpp"

namespace ih::agent {

namespace {

constexpr std::string_view kAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr std::size_t kAccountBytes = 32;
constexpr std::size_t kChecksumBytes = 2;

int base58_digit(char c) {
  const auto pos = kAlphabet.find(c);
  return pos == std::string_view::npos ? -1 : static_cast<int>(pos);
}

std::array<std::uint8_t, 64> blake2b512(std::span<const std::uint8_t> data) {
  std::array<std::uint8_t, 64> out{};
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  unsigned len = 0;
  EVP_DigestInit_ex(ctx.get(), EVP_blake2b512(), nullptr);
  EVP_DigestUpdate(ctx.get(), data.data(), data.size());
  EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
  return out;
}

std::array<std::uint8_t, 64> ss58_hash(std::span<const std::uint8_t> prefix_and_account) {
  static constexpr std::string_view kPre = "SS58PRE";
  std::vector<std::uint8_t> data(kPre.begin(), kPre.end());
  data.insert(data.end(), prefix_and_account.begin(), prefix_and_account.end());
  return blake2b512(data);
}

std::vector<std::uint8_t> network_prefix(std::uint16_t network) {
  if (network < 64) return {static_cast<std::uint8_t>(network)};
  // Two-byte form: 01xxxxxx xxxxxxxx with the 14-bit network split as Substrate does.
  const auto first = static_cast<std::uint8_t>(((network & 0xfc) >> 2) | 0x40);
  const auto second = static_cast<std::uint8_t>((network >> 8) | ((network & 0x03) << 6));
  return {first, second};
}

}  // namespace

std::string base58_encode(std::span<const std::uint8_t> bytes) {
  std::vector<std::uint8_t> digits;  // base 58, least significant first
  for (std::uint8_t byte : bytes) {
    unsigned carry = byte;
    for (auto& d : digits) {
      carry += static_cast<unsigned>(d) << 8;
      d = static_cast<std::uint8_t>(carry % 58);
      carry /= 58;
    }
    while (carry > 0) {
      digits.push_back(static_cast<std::uint8_t>(carry % 58));
      carry /= 58;
    }
  }
  std::string out;
  for (std::size_t i = 0; i < bytes.size() && bytes[i] == 0; ++i) out.push_back('1');
  for (auto it = digits.rbegin(); it != digits.rend(); ++it) out.push_back(kAlphabet[*it]);
  return out;
}

Result<std::vector<std::uint8_t>> base58_decode(std::string_view text) {
  std::vector<std::uint8_t> bytes;  // base 256, least significant first
  for (std::size_t i = 0; i < text.size(); ++i) {
    const int digit = base58_digit(text[i]);
    if (digit < 0)
      return make_error("character '" + std::string(1, text[i]) + "' at position " +
                        std::to_string(i + 1) +
                        " is not a base58 character (0, O, I and l never appear)");
    unsigned carry = static_cast<unsigned>(digit);
    for (auto& b : bytes) {
      carry += static_cast<unsigned>(b) * 58;
      b = static_cast<std::uint8_t>(carry & 0xff);
      carry >>= 8;
    }
    while (carry > 0) {
      bytes.push_back(static_cast<std::uint8_t>(carry & 0xff));
      carry >>= 8;
    }
  }
  for (std::size_t i = 0; i < text.size() && text[i] == '1'; ++i) bytes.push_back(0);
  std::reverse(bytes.begin(), bytes.end());
  return bytes;
}

Result<Ss58Address> parse_ss58(std::string_view text) {
  // Addresses are 47-48 characters; anything much shorter is a name or a fragment.
  if (text.size() < 40)
    return make_error(quoted(text) +
                      " is not an SS58 address: a hotkey SS58 address is expected (48 "
                      "characters, e.g. 5F...), not a wallet or hotkey name; `btcli wallet "
                      "overview` shows the address");
  auto decoded = base58_decode(text);
  if (!decoded) return make_error(quoted(text) + ": " + decoded.error().message);
  const std::vector<std::uint8_t>& raw = *decoded;
  if (raw.empty() || raw[0] >= 128)
    return make_error(quoted(text) + ": unsupported SS58 network prefix");
  const std::size_t prefix_len = raw[0] < 64 ? 1 : 2;
  if (raw.size() != prefix_len + kAccountBytes + kChecksumBytes)
    return make_error(quoted(text) + " decodes to " + std::to_string(raw.size()) +
                      " bytes; an SS58 account address has " +
                      std::to_string(prefix_len + kAccountBytes + kChecksumBytes) +
                      " (prefix, 32-byte account id, 2-byte checksum)");
  const std::size_t body = raw.size() - kChecksumBytes;
  const auto hash = ss58_hash(std::span(raw).first(body));
  if (hash[0] != raw[body] || hash[1] != raw[body + 1])
    return make_error(quoted(text) + ": SS58 checksum does not match (a typo in the address?)");
  Ss58Address address;
  if (prefix_len == 1) {
    address.network = raw[0];
  } else {
    const unsigned lower = ((raw[0] & 0x3fu) << 2) | (raw[1] >> 6);
    const unsigned upper = raw[1] & 0x3fu;
    address.network = static_cast<std::uint16_t>(lower | (upper << 8));
  }
  address.account_id.assign(raw.begin() + static_cast<std::ptrdiff_t>(prefix_len),
                            raw.begin() + static_cast<std::ptrdiff_t>(body));
  return address;
}

std::string encode_ss58(std::uint16_t network, std::span<const std::uint8_t> account_id) {
  std::vector<std::uint8_t> raw = network_prefix(network);
  raw.insert(raw.end(), account_id.begin(), account_id.end());
  const auto hash = ss58_hash(raw);
  raw.push_back(hash[0]);
  raw.push_back(hash[1]);
  return base58_encode(raw);
}

Result<std::string> sn89_worker_name(std::string_view subaccount, std::string_view hotkey,
                                     std::string_view worker) {
  auto address = parse_ss58(hotkey);
  if (!address) return make_error("hotkey: " + address.error().message);
  if (subaccount.empty() || subaccount.find('.') != std::string_view::npos)
    return make_error("subaccount: must be non-empty and contain no '.'");
  if (worker.empty()) return make_error("worker: a worker name is needed with --hotkey");
  for (char c : worker)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'))
      return make_error("worker: '" + std::string(worker) +
                        "' may only contain letters, digits, '-' and '_'");
  return std::string(subaccount) + "." + std::string(hotkey) + "." + std::string(worker);
}

}  // namespace ih::agent
