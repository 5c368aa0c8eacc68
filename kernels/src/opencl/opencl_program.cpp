#include "opencl/opencl_program.hpp"

#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

namespace ih::kernels::opencl {

namespace {

// FNV-1a: stable across runs and compilers (std::hash is not).
std::uint64_t fnv1a(std::uint64_t hash, const std::string& text) {
  for (const char c : text) {
    hash ^= static_cast<unsigned char>(c);
    hash *= 0x100000001b3ull;
  }
  return hash ^ 0xff;  // field separator
}

std::string build_log(cl_program program, cl_device_id device) {
  std::size_t size = 0;
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size) !=
          CL_SUCCESS ||
      size == 0)
    return {};
  std::string log(size, '\0');
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr) !=
      CL_SUCCESS)
    return {};
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  return log;
}

cl_program load_cached(cl_context context, cl_device_id device, const std::string& path,
                       const std::string& options) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return nullptr;
  const std::vector<unsigned char> binary((std::istreambuf_iterator<char>(in)),
                                          std::istreambuf_iterator<char>());
  if (binary.empty()) return nullptr;
  const std::size_t size = binary.size();
  const unsigned char* data = binary.data();
  cl_int status = CL_SUCCESS;
  cl_int err = CL_SUCCESS;
  cl_program program = clCreateProgramWithBinary(context, 1, &device, &size, &data, &status, &err);
  if (err != CL_SUCCESS || status != CL_SUCCESS) {
    if (program) clReleaseProgram(program);
    return nullptr;
  }
  if (clBuildProgram(program, 1, &device, options.c_str(), nullptr, nullptr) != CL_SUCCESS) {
    clReleaseProgram(program);
    return nullptr;
  }
  return program;
}

void store_cached(cl_program program, const std::string& path) {
  std::size_t size = 0;
  if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof(size), &size, nullptr) !=
          CL_SUCCESS ||
      size == 0)
    return;
  std::vector<unsigned char> binary(size);
  unsigned char* data = binary.data();
  if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof(data), &data, nullptr) != CL_SUCCESS)
    return;
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return;
  // Write then rename, so a concurrent reader never sees half a file.
  const std::string temp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    if (!out) return;
    out.write(reinterpret_cast<const char*>(binary.data()),
              static_cast<std::streamsize>(binary.size()));
    if (!out) {
      out.close();
      std::filesystem::remove(temp, ec);
      return;
    }
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) std::filesystem::remove(temp, ec);
}

}  // namespace

std::string default_program_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  if (xdg != nullptr && xdg[0] == '/') return std::string(xdg) + "/infinite-hashes/opencl";
  const char* home = std::getenv("HOME");
  if (home != nullptr && home[0] == '/')
    return std::string(home) + "/.cache/infinite-hashes/opencl";
  return {};
}

std::string program_cache_path(const std::string& cache_dir, const OpenClDevice& device,
                               const std::string& source, const std::string& options) {
  std::uint64_t hash = 0xcbf29ce484222325ull;
  for (const std::string* part :
       {&device.platform_name, &device.platform_version, &device.name, &device.vendor,
        &device.device_version, &device.driver_version, &options, &source})
    hash = fnv1a(hash, *part);
  char name[32];
  std::snprintf(name, sizeof(name), "%016llx.bin", static_cast<unsigned long long>(hash));
  return cache_dir + "/" + name;
}

BuiltProgram build_program(cl_context context, const OpenClDevice& device,
                           const std::string& source, const std::string& options,
                           const std::string& cache_dir) {
  BuiltProgram built;
  const std::string path =
      cache_dir.empty() ? std::string() : program_cache_path(cache_dir, device, source, options);
  if (!path.empty()) {
    built.program = load_cached(context, device.device, path, options);
    if (built.program) {
      built.from_cache = true;
      return built;
    }
  }
  const char* text = source.c_str();
  const std::size_t length = source.size();
  cl_int err = CL_SUCCESS;
  cl_program program = clCreateProgramWithSource(context, 1, &text, &length, &err);
  if (err != CL_SUCCESS) {
    built.error = cl_failure("clCreateProgramWithSource", err);
    return built;
  }
  err = clBuildProgram(program, 1, &device.device, options.c_str(), nullptr, nullptr);
  if (err != CL_SUCCESS) {
    built.error = "OpenCL program build for '" + device.name + "' failed: " + cl_error_name(err) +
                  "; build log:\n" + build_log(program, device.device);
    clReleaseProgram(program);
    return built;
  }
  if (!path.empty()) store_cached(program, path);
  built.program = program;
  return built;
}

}  // namespace ih::kernels::opencl
