#include <gtest/gtest.h>
#include <sys/stat.h>

#include <filesystem>
#include <thread>
#include <vector>

#include "proof/signer.hpp"
#include "temp_dir.hpp"

namespace {

using namespace ih::proof;
using ih::proof::fixture::TempDir;

TEST(Ed25519, KeygenWritesAPrivateKeyFileAndSignaturesVerify) {
  TempDir tmp;
  const std::string path = (tmp.path() / "agent.key").string();
  auto signer = generate_ed25519_key(path);
  ASSERT_TRUE(signer.ok()) << signer.error().message;
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ((*signer)->public_key().size(), 32u);
  const Bytes message = {1, 2, 3};
  const Bytes sig = (*signer)->sign(message);
  EXPECT_EQ(sig.size(), 64u);
  EXPECT_TRUE(verify_signature("ed25519", (*signer)->public_key(), message, sig));
  EXPECT_FALSE(verify_signature("ed25519", (*signer)->public_key(), Bytes{1, 2, 4}, sig));
  EXPECT_FALSE(verify_signature("sr25519", (*signer)->public_key(), message, sig));
  auto loaded = load_ed25519_signer(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ((*loaded)->public_key(), (*signer)->public_key());
  EXPECT_FALSE(generate_ed25519_key(path).ok());  // never overwrites
}

// Two agents started at once on a fresh data dir: both must end up with the same, complete key.
TEST(Ed25519, KeyCreatedOnFirstUseByManyAtOnceIsOneKey) {
  TempDir tmp;
  const std::string path = (tmp.path() / "agent.key").string();
  std::vector<Bytes> keys(8);
  std::vector<std::string> errors(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < keys.size(); ++i)
    threads.emplace_back([&, i] {
      auto signer = load_or_create_ed25519_signer(path);
      if (signer.ok())
        keys[i] = (*signer)->public_key();
      else
        errors[i] = signer.error().message;
    });
  for (auto& t : threads) t.join();
  for (std::size_t i = 0; i < keys.size(); ++i) {
    EXPECT_EQ(errors[i], "") << i;
    EXPECT_EQ(keys[i], keys[0]) << i;
  }
  std::size_t files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(tmp.path())) ++files;
  EXPECT_EQ(files, 1u) << "temporary key files left behind";
}

TEST(Ed25519, AKeyFileOthersCanReadIsRefused) {
  TempDir tmp;
  const std::string path = (tmp.path() / "agent.key").string();
  ASSERT_TRUE(generate_ed25519_key(path).ok());
  for (const mode_t mode : {0640, 0604, 0660}) {
    ::chmod(path.c_str(), mode);
    auto loaded = load_ed25519_signer(path);
    ASSERT_FALSE(loaded.ok());
    EXPECT_NE(loaded.error().message.find("group or others may read it"), std::string::npos);
    EXPECT_NE(loaded.error().message.find("chmod 600"), std::string::npos);
  }
}

TEST(Ed25519, LoadOrCreateCreatesOnceThenLoads) {
  TempDir tmp;
  const std::string path = (tmp.path() / "agent.key").string();
  auto first = load_or_create_ed25519_signer(path);
  auto second = load_or_create_ed25519_signer(path);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ((*first)->public_key(), (*second)->public_key());
}

}  // namespace
