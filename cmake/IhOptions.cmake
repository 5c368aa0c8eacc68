# Build options and the compile flags applied to our own targets only.
set(IH_CUDA AUTO CACHE STRING "Build the CUDA scanner: AUTO (when nvcc is found), ON or OFF")
set_property(CACHE IH_CUDA PROPERTY STRINGS AUTO ON OFF)
set(IH_OPENCL AUTO CACHE STRING "Build the OpenCL scanner: AUTO (when OpenCL is found), ON or OFF")
set_property(CACHE IH_OPENCL PROPERTY STRINGS AUTO ON OFF)
set(IH_SANITIZE "" CACHE STRING "Sanitizers: empty, 'address,undefined' or 'thread'")
option(IH_BUILD_TESTS "Build the GoogleTest suites" ON)
option(IH_WERROR "Treat warnings in our code as errors" ON)
option(IH_FUZZ "Build the libFuzzer targets in tests/fuzz (clang only; instruments our code)" OFF)

if(IH_SANITIZE AND NOT IH_SANITIZE MATCHES "^(address,undefined|undefined,address|address|undefined|thread)$")
  message(FATAL_ERROR "IH_SANITIZE must be 'address,undefined' or 'thread', not '${IH_SANITIZE}'")
endif()

# ccache makes the second build on a 2-core machine (CI, the sanitizer pass) cheap.
find_program(IH_CCACHE ccache)
if(IH_CCACHE AND NOT CMAKE_CXX_COMPILER_LAUNCHER)
  set(CMAKE_C_COMPILER_LAUNCHER ${IH_CCACHE})
  set(CMAKE_CXX_COMPILER_LAUNCHER ${IH_CCACHE})
  set(CMAKE_CUDA_COMPILER_LAUNCHER ${IH_CCACHE})
endif()

# CUDA: nvcc lives in /usr/local/cuda/bin, which is not on PATH.
set(IH_WITH_CUDA OFF)
if(NOT IH_CUDA STREQUAL "OFF")
  if(NOT CMAKE_CUDA_COMPILER)
    find_program(IH_NVCC nvcc HINTS ENV CUDA_HOME PATHS /usr/local/cuda/bin NO_CACHE)
    if(IH_NVCC)
      set(CMAKE_CUDA_COMPILER ${IH_NVCC} CACHE FILEPATH "CUDA compiler")
    endif()
  endif()
  if(CMAKE_CUDA_COMPILER)
    enable_language(CUDA)
    set(IH_WITH_CUDA ON)
  elseif(IH_CUDA STREQUAL "ON")
    message(FATAL_ERROR "IH_CUDA=ON but nvcc was not found (set CMAKE_CUDA_COMPILER)")
  endif()
endif()

# Applied to every target we own (never to third-party code).
add_library(ih_build_flags INTERFACE)
target_compile_options(ih_build_flags INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wshadow -Wnon-virtual-dtor -Wpedantic>
  $<$<AND:$<COMPILE_LANGUAGE:CXX>,$<BOOL:${IH_WERROR}>>:-Werror>)
if(IH_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "IH_FUZZ=ON needs clang (CXX=clang++ cmake ...)")
  endif()
  target_compile_options(ih_build_flags INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=fuzzer-no-link,address -fno-omit-frame-pointer>)
endif()
if(IH_SANITIZE)
  target_compile_options(ih_build_flags INTERFACE
    $<$<COMPILE_LANGUAGE:CXX>:-fsanitize=${IH_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all>)
  target_link_options(ih_build_flags INTERFACE -fsanitize=${IH_SANITIZE})
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12's -Wmaybe-uninitialized misfires on sanitizer-instrumented libstdc++ code (std::regex,
    # std::function); the normal build keeps the warning as an error.
    target_compile_options(ih_build_flags INTERFACE
      $<$<COMPILE_LANGUAGE:CXX>:-Wno-maybe-uninitialized>)
  endif()
  if(IH_SANITIZE STREQUAL "thread" AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 warns that TSan does not model asio's atomic_thread_fence; not an error in our code.
    target_compile_options(ih_build_flags INTERFACE $<$<COMPILE_LANGUAGE:CXX>:-Wno-tsan>)
  endif()
endif()

# Declares one of our libraries: include/ is its public header set, src/ its private code.
function(ih_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;PUBLIC;PRIVATE" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  target_include_directories(${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                     PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_link_libraries(${name} PUBLIC ${ARG_PUBLIC} PRIVATE ih_build_flags ${ARG_PRIVATE})
  # Sanitizer flags must reach whoever links the library too.
  if(IH_SANITIZE)
    target_link_libraries(${name} INTERFACE ih_build_flags)
  endif()
endfunction()
