// Ed25519 through OpenSSL EVP; keys are PKCS#8 PEM files.
#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "proof/signer.hpp"

namespace ih::proof {

namespace {

using PKey = std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)>;

class Ed25519Signer final : public Signer {
 public:
  explicit Ed25519Signer(PKey key) : key_(std::move(key)) {}
  std::string scheme() const override { return "ed25519"; }
  Bytes public_key() const override {
    Bytes out(32);
    std::size_t n = out.size();
    EVP_PKEY_get_raw_public_key(key_.get(), out.data(), &n);
    out.resize(n);
    return out;
  }
  Bytes sign(std::span<const std::uint8_t> message) const override {
    MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
    Bytes sig(64);
    std::size_t n = sig.size();
    if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, key_.get()) != 1 ||
        EVP_DigestSign(ctx.get(), sig.data(), &n, message.data(), message.size()) != 1)
      return {};
    sig.resize(n);
    return sig;
  }

 private:
  PKey key_;
};

}  // namespace

Result<std::unique_ptr<Signer>> load_ed25519_signer(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return make_error("cannot read key file " + path + ": " + std::strerror(errno));
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    char mode[8];
    std::snprintf(mode, sizeof mode, "%03o", static_cast<unsigned>(st.st_mode & 0777));
    return make_error("key file " + path + " has mode " + mode +
                      ": group or others may read it; refusing it (run: chmod 600 " + path + ")");
  }
  std::FILE* f = std::fopen(path.c_str(), "r");
  if (f == nullptr) return make_error("cannot open key file " + path + ": " + std::strerror(errno));
  PKey key(PEM_read_PrivateKey(f, nullptr, nullptr, nullptr), EVP_PKEY_free);
  std::fclose(f);
  if (!key || EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    return make_error("key file " + path + " does not hold an Ed25519 private key (PEM)");
  return std::unique_ptr<Signer>(new Ed25519Signer(std::move(key)));
}

namespace {

// Writes the key to a private temporary file, then links it to `path`: the key file appears
// complete or not at all, and of two processes creating it at once exactly one wins (the other
// sees EEXIST). `error_number` is set to errno of the step that failed.
Result<std::unique_ptr<Signer>> create_key_file(const std::string& path, int& error_number) {
  error_number = 0;
  EVP_PKEY* raw = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) return make_error("OpenSSL could not generate an Ed25519 key");
  PKey key(raw, EVP_PKEY_free);
  static std::atomic<unsigned> serial{0};
  const std::string temp =
      path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial++);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    error_number = errno;
    return make_error("cannot create key file " + path + ": " + std::strerror(errno));
  }
  std::FILE* f = ::fdopen(fd, "w");
  bool written = f != nullptr &&
                 PEM_write_PrivateKey(f, key.get(), nullptr, nullptr, 0, nullptr, nullptr) == 1;
  written = written && std::fflush(f) == 0 && ::fsync(fd) == 0;
  const bool closed = f != nullptr ? std::fclose(f) == 0 : ::close(fd) == 0;
  if (!written || !closed) {
    ::unlink(temp.c_str());
    return make_error("cannot write key file " + path);
  }
  const int linked = ::link(temp.c_str(), path.c_str());
  error_number = linked == 0 ? 0 : errno;
  ::unlink(temp.c_str());
  if (linked != 0)
    return make_error("cannot create key file " + path + ": " + std::strerror(error_number));
  return std::unique_ptr<Signer>(new Ed25519Signer(std::move(key)));
}

}  // namespace

Result<std::unique_ptr<Signer>> generate_ed25519_key(const std::string& path) {
  int error_number = 0;
  return create_key_file(path, error_number);
}

Result<std::unique_ptr<Signer>> load_or_create_ed25519_signer(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 && errno == ENOENT) {
    int error_number = 0;
    auto created = create_key_file(path, error_number);
    // Another process created it first: use that one.
    if (!created && error_number == EEXIST) return load_ed25519_signer(path);
    return created;
  }
  return load_ed25519_signer(path);
}

bool verify_signature(const std::string& scheme, std::span<const std::uint8_t> public_key,
                      std::span<const std::uint8_t> message,
                      std::span<const std::uint8_t> signature) {
  if (scheme != "ed25519") return false;
  PKey key(
      EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, public_key.data(), public_key.size()),
      EVP_PKEY_free);
  MdCtx ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  if (!key || !ctx) return false;
  if (EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, key.get()) != 1) return false;
  return EVP_DigestVerify(ctx.get(), signature.data(), signature.size(), message.data(),
                          message.size()) == 1;
}

}  // namespace ih::proof
