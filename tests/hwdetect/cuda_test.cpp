// CUDA through the driver library loaded at run time: absent or unusable driver -> a reason.
#include <dlfcn.h>
#include <gtest/gtest.h>

#include "ih/hwdetect/cuda_devices.hpp"

namespace {

using ih::hwdetect::cuda_driver_problem;
using ih::hwdetect::cuda_version_string;
using ih::hwdetect::detect_cuda;

TEST(Cuda, MissingDriverLibraryMeansNoDevicesAndAReason) {
  const auto report = detect_cuda("/nonexistent/libcuda.so.1");
  EXPECT_TRUE(report.devices.empty());
  EXPECT_FALSE(report.usable());
  EXPECT_FALSE(report.driver_version);
  EXPECT_NE(report.reason.find("/nonexistent/libcuda.so.1 not found: no NVIDIA driver"),
            std::string::npos)
      << report.reason;
}

TEST(Cuda, LibraryWithoutTheDriverApiIsReportedNotCalled) {
  const auto report = detect_cuda("libm.so.6");
  EXPECT_TRUE(report.devices.empty());
  EXPECT_NE(report.reason.find("lacks the CUDA driver functions"), std::string::npos)
      << report.reason;
}

TEST(Cuda, VersionsReadLikeNvidiaSmi) {
  EXPECT_EQ(cuda_version_string(12040), "12.4");
  EXPECT_EQ(cuda_version_string(13000), "13.0");
  EXPECT_EQ(cuda_version_string(11080), "11.8");
}

TEST(Cuda, DriverOlderThanOurKernelsIsAProblemWithAFix) {
  EXPECT_EQ(cuda_driver_problem(13000, 13000), "");
  EXPECT_EQ(cuda_driver_problem(13010, 13000), "");
  EXPECT_EQ(cuda_driver_problem(12040, std::nullopt), "");  // no CUDA kernels built in
  const std::string problem = cuda_driver_problem(12040, 13000);
  EXPECT_NE(problem.find("up to 12.4"), std::string::npos) << problem;
  EXPECT_NE(problem.find("need CUDA 13.0"), std::string::npos) << problem;
  EXPECT_NE(problem.find("update the NVIDIA driver"), std::string::npos) << problem;
}

TEST(Cuda, WithoutLibcudaTheDefaultDetectionSaysSo) {
  if (void* lib = dlopen("libcuda.so.1", RTLD_NOW)) {
    dlclose(lib);
    GTEST_SKIP() << "this machine has libcuda.so.1";
  }
  const auto report = detect_cuda();
  EXPECT_TRUE(report.devices.empty());
  EXPECT_NE(report.reason.find("libcuda.so.1 not found"), std::string::npos) << report.reason;
}

}  // namespace
