#!/usr/bin/env bash
# One entry point for users and CI: install dependencies, build, run, test.
#   scripts/setup.sh deps       install the Debian 12 packages we need (idempotent)
#   scripts/setup.sh build      deps + Release build in build/
#   scripts/setup.sh run [ARGS] build + run the main job (arguments go to infinite-hashes)
#   scripts/setup.sh test       build + the whole test suite
#   scripts/setup.sh sanitize   build with address,undefined sanitizers in build-asan/ + unit,
#                               integration and fault tests
#   scripts/setup.sh tsan       build the multi-threaded suites with ThreadSanitizer in build-tsan/
#   scripts/setup.sh format     fail when a file is not clang-formatted
#   scripts/setup.sh package-check  build + lint the Dockerfile, test the manifests, build the .deb
#   scripts/setup.sh fuzz [S]   clang + libFuzzer build in build-fuzz/, run each target S s (60)
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
jobs=$(nproc 2>/dev/null || echo 2)
# ccache hits across clones in different folders (CI clones afresh each run).
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

packages=(
  build-essential cmake pkg-config ccache clang-format
  libssl-dev libcli11-dev libspdlog-dev nlohmann-json3-dev libasio-dev libcurl4-openssl-dev
  libhwloc-dev ocl-icd-opencl-dev opencl-headers pocl-opencl-icd libcpp-httplib-dev
  prometheus-cpp-dev libgtest-dev libgmock-dev libbenchmark-dev libyaml-cpp-dev libboost-math-dev
  libsqlite3-dev libtomlplusplus-dev
)
# Only for package-check: the .deb's tools and checks (systemd for systemd-analyze); npm only
# where no npm command exists (a NodeSource nodejs brings its own and conflicts with Debian's).
package_check_packages=(dpkg-dev file lintian systemd)
dockerfilelint_version=1.8.0

# Only for the test suite: promtool checks /metrics, headless Chromium opens the dashboard.
test_packages=(prometheus chromium)

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo "$@"; else
      echo "setup: '$*' needs root (run as root or install sudo)" >&2; exit 1
    fi
  else "$@"; fi
}

deps() {  # [extra packages...]
  local missing=()
  for p in "${packages[@]}" "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then echo "setup: all packages present"; return; fi
  echo "setup: installing ${missing[*]}"
  need_root apt-get update -qq
  need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

configure_and_build() {  # dir, extra cmake args...
  local dir=$1; shift
  cmake -S . -B "$dir" "$@"
  cmake --build "$dir" -j "$jobs"
}

build() {
  deps
  # The release build script the container image uses too.
  bash scripts/build-release.sh build
}

# dockerfilelint from npm, pinned, inside the build tree (never global).
package_check_tools() {
  local missing=()
  for p in "${package_check_packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  command -v npm >/dev/null 2>&1 || missing+=(npm)
  if [ ${#missing[@]} -gt 0 ]; then
    need_root apt-get update -qq
    need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  if [ ! -x build/tools/npm/node_modules/.bin/dockerfilelint ]; then
    npm install --no-audit --no-fund --silent --prefix build/tools/npm \
      "dockerfilelint@${dockerfilelint_version}"
  fi
}

case "${1:-}" in
  deps) deps ;;
  build) build ;;
  run)
    shift
    build
    if [ $# -eq 0 ]; then set -- mine; fi  # the built-in local pool, until Ctrl-C
    exec ./build/agent/infinite-hashes "$@"
    ;;
  test)
    deps "${test_packages[@]}"
    build
    # `slow` (the 30 min soak) is run by hand: ctest --test-dir build -L slow
    (cd build && ctest --output-on-failure -j "$jobs" -LE slow)
    ;;
  sanitize)
    deps
    # CUDA is left out: sanitizers do not instrument device code and nvcc is the slowest step.
    configure_and_build build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIH_SANITIZE=address,undefined -DIH_CUDA=OFF
    # Everything but the GPU suites and the soak: the integration and fault tests are where the
    # threads, sockets and the spawned binary meet. Timing-bound tests get 3x their time.
    (cd build-asan && ctest --output-on-failure -j "$jobs" -L 'unit|integration|fault' -LE 'slow|cuda|opencl' \
      --timeout 540)
    ;;
  tsan)
    deps
    # Only the suites where threads share state: the engine (dispatcher, meter, ledger), the
    # stratum transport and client, the status server. TSan slows them 5-15x.
    suites=(agent_engine_test agent_engine_integration_test stratum_client_test agent_status_unit_test)
    cmake -S . -B build-tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIH_SANITIZE=thread -DIH_CUDA=OFF \
      -DIH_OPENCL=OFF
    cmake --build build-tsan -j "$jobs" --target "${suites[@]}"
    export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1"
    for suite in "${suites[@]}"; do
      binary=$(find build-tsan/tests -type f -name "$suite" -perm -u+x | head -n 1)
      echo "tsan: $suite"
      timeout 900 "$binary" --gtest_brief=1
    done
    ;;
  fuzz)
    deps
    # libFuzzer and the sanitizer runtimes are only a Recommends of Debian's clang.
    if ! command -v clang++ >/dev/null 2>&1 || ! dpkg-query -W libclang-rt-14-dev >/dev/null 2>&1; then
      need_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        clang libclang-rt-14-dev
    fi
    seconds=${2:-60}
    # Only the fuzz targets: the instrumented libraries are not for linking into the agent.
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIH_FUZZ=ON \
      -DIH_BUILD_TESTS=OFF -DIH_CUDA=OFF -DIH_OPENCL=OFF
    targets=(stratum_session server_session notify_header config status_api proof_log report_parse)
    cmake --build build-fuzz -j "$jobs" --target "${targets[@]/%/_fuzz}"
    for target in "${targets[@]}"; do
      mkdir -p "build-fuzz/corpus/$target"
      # New inputs go to build-fuzz/corpus; the committed seeds are only read.
      "./build-fuzz/tests/fuzz/${target}_fuzz" -max_total_time="$seconds" -max_len=70000 \
        -print_final_stats=1 "build-fuzz/corpus/$target" "tests/fuzz/corpus/$target"
    done
    ;;
  package-check)
    build
    package_check_tools
    bash scripts/package-check.sh build
    ;;
  format)
    files=$(git ls-files '*.cpp' '*.hpp' '*.h' '*.cu' '*.cuh')
    # shellcheck disable=SC2086
    clang-format --dry-run --Werror $files
    echo "setup: formatting OK"
    ;;
  *)
    sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
