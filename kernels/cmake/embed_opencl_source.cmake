# Concatenates the OpenCL program (device prelude + mining core + kernel) into a C++ source that
# embeds it as one string, so the binary carries the exact code the host tests check.
# Usage: cmake -DOUTPUT=<file.cpp> -DINPUTS=<a|b|c> -P embed_opencl_source.cmake
string(REPLACE "|" ";" INPUTS "${INPUTS}")
set(program "")
foreach(input IN LISTS INPUTS)
  file(READ "${input}" text)
  string(APPEND program "${text}\n")
endforeach()
if(program MATCHES "\\)IHCL\"")
  message(FATAL_ERROR "OpenCL source contains the raw-string delimiter )IHCL\"")
endif()
set(generated "// Generated from ${INPUTS} by embed_opencl_source.cmake; do not edit.
#include \"opencl/opencl_program_source.hpp\"

namespace ih::kernels::opencl {

const char* const kSha256dProgramSource = R\"IHCL(${program})IHCL\";

}  // namespace ih::kernels::opencl
")
file(WRITE "${OUTPUT}.tmp" "${generated}")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
