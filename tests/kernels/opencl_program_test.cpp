// The OpenCL program builder: binary cache hits, corrupt cache files, build logs in errors.
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "opencl/opencl_devices.hpp"
#include "opencl/opencl_program.hpp"
#include "opencl/opencl_program_source.hpp"

namespace {

using namespace ih::kernels::opencl;

class OpenClProgramTest : public testing::Test {
 protected:
  void SetUp() override {
    const OpenClDiscovery found = discover_opencl_devices();
    if (found.devices.empty()) GTEST_SKIP() << "no OpenCL device: " << found.problems;
    device_ = found.devices.front();
    cl_int err = CL_SUCCESS;
    context_ = clCreateContext(nullptr, 1, &device_.device, nullptr, nullptr, &err);
    ASSERT_EQ(err, CL_SUCCESS) << cl_error_name(err);
    cache_dir_ = testing::TempDir() + "ih-opencl-program-test-" +
                 std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
  }
  void TearDown() override {
    if (context_) clReleaseContext(context_);
    std::error_code ec;
    std::filesystem::remove_all(cache_dir_, ec);
  }

  OpenClDevice device_;
  cl_context context_ = nullptr;
  std::string cache_dir_;
};

TEST_F(OpenClProgramTest, SecondBuildComesFromTheBinaryCache) {
  const std::string source = kSha256dProgramSource;
  BuiltProgram first = build_program(context_, device_, source, "", cache_dir_);
  ASSERT_NE(first.program, nullptr) << first.error;
  EXPECT_FALSE(first.from_cache);
  clReleaseProgram(first.program);
  const std::string path = program_cache_path(cache_dir_, device_, source, "");
  ASSERT_TRUE(std::filesystem::exists(path)) << path;

  BuiltProgram second = build_program(context_, device_, source, "", cache_dir_);
  ASSERT_NE(second.program, nullptr) << second.error;
  EXPECT_TRUE(second.from_cache);
  cl_int err = CL_SUCCESS;
  cl_kernel kernel = clCreateKernel(second.program, "ih_sha256d_scan", &err);
  EXPECT_EQ(err, CL_SUCCESS) << cl_error_name(err);
  if (kernel) clReleaseKernel(kernel);
  clReleaseProgram(second.program);

  // Other build options or another source are another cache entry.
  EXPECT_NE(program_cache_path(cache_dir_, device_, source, "-cl-opt-disable"), path);
  EXPECT_NE(program_cache_path(cache_dir_, device_, source + " ", ""), path);
}

TEST_F(OpenClProgramTest, CorruptCacheFileIsRebuilt) {
  const std::string source = kSha256dProgramSource;
  const std::string path = program_cache_path(cache_dir_, device_, source, "");
  std::filesystem::create_directories(cache_dir_);
  std::ofstream(path, std::ios::binary) << "not a program binary";
  BuiltProgram built = build_program(context_, device_, source, "", cache_dir_);
  ASSERT_NE(built.program, nullptr) << built.error;
  EXPECT_FALSE(built.from_cache);
  clReleaseProgram(built.program);
  EXPECT_GT(std::filesystem::file_size(path), 100u);  // replaced by a real binary
}

TEST_F(OpenClProgramTest, BuildErrorCarriesTheBuildLog) {
  const std::string broken = "__kernel void k(__global uint* out) { out[0] = undeclared_name; }";
  BuiltProgram built = build_program(context_, device_, broken, "", cache_dir_);
  EXPECT_EQ(built.program, nullptr);
  EXPECT_NE(built.error.find("CL_BUILD_PROGRAM_FAILURE"), std::string::npos) << built.error;
  EXPECT_NE(built.error.find("undeclared_name"), std::string::npos) << built.error;
  EXPECT_FALSE(std::filesystem::exists(program_cache_path(cache_dir_, device_, broken, "")));
}

}  // namespace
