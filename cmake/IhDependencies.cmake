# Third-party packages (Debian 12). Each is found once, here.
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(spdlog REQUIRED)
find_package(CLI11 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(Boost 1.74 REQUIRED)  # header-only Boost.Math (proof intervals)
find_package(CURL REQUIRED)        # report push
find_package(PkgConfig REQUIRED)
pkg_check_modules(HWLOC REQUIRED IMPORTED_TARGET hwloc)
# The status endpoint: Debian's cpp-httplib is a compiled library (its .pc sets the OpenSSL
# define the header needs); prometheus-cpp's core has the registry and TextSerializer.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
find_package(prometheus-cpp CONFIG REQUIRED COMPONENTS core)
# The collector: its store (SQLite, WAL) and its key registry (TOML).
find_package(SQLite3 REQUIRED)
find_package(tomlplusplus 3 CONFIG REQUIRED)

# Standalone asio is header-only and ships no CMake package.
find_path(ASIO_INCLUDE_DIR asio.hpp REQUIRED)
add_library(ih_asio INTERFACE)
target_include_directories(ih_asio SYSTEM INTERFACE ${ASIO_INCLUDE_DIR})
# ASIO_DISABLE_STD_ALIGNED_ALLOC: asio picks aligned_alloc or operator new depending on which
# std header came first in each file; two files disagreeing is a new/free mismatch (ASan).
target_compile_definitions(ih_asio INTERFACE ASIO_STANDALONE ASIO_NO_DEPRECATED
                                             ASIO_DISABLE_STD_ALIGNED_ALLOC)
target_link_libraries(ih_asio INTERFACE Threads::Threads)

set(IH_WITH_OPENCL OFF)
if(NOT IH_OPENCL STREQUAL "OFF")
  find_package(OpenCL)
  if(OpenCL_FOUND)
    set(IH_WITH_OPENCL ON)
  elseif(IH_OPENCL STREQUAL "ON")
    message(FATAL_ERROR "IH_OPENCL=ON but OpenCL was not found (apt install ocl-icd-opencl-dev opencl-headers)")
  endif()
endif()

if(IH_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
  find_package(yaml-cpp REQUIRED)  # tests/packaging reads the Kubernetes and compose YAML
endif()
find_package(benchmark QUIET)
