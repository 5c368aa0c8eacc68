#!/usr/bin/env bash
# The one release build. `scripts/setup.sh build` (what CI tests) and the container image
# (packaging/docker/Dockerfile) both call it, so what ships is what the tests ran on.
#   scripts/build-release.sh DIR [CMAKE_ARGS...]   configure a Release build in DIR and build it
# IH_CUDA_ARCHITECTURES (environment), when set, picks the CUDA targets (CMake syntax, e.g.
# "75-real;80-real;90"); unset, the default in kernels/CMakeLists.txt applies. IH_JOBS: parallel
# jobs (default: every CPU).
set -euo pipefail

if [ $# -lt 1 ]; then
  sed -n '2,7p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
fi
dir=$1
shift
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
jobs=${IH_JOBS:-$(nproc 2>/dev/null || echo 2)}

args=(-DCMAKE_BUILD_TYPE=Release)
if [ -n "${IH_CUDA_ARCHITECTURES:-}" ]; then
  args+=("-DIH_CUDA_ARCHITECTURES=${IH_CUDA_ARCHITECTURES}")
fi
cmake -S "$root" -B "$dir" "${args[@]}" "$@"
cmake --build "$dir" -j "$jobs"
