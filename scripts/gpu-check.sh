#!/usr/bin/env bash
# GPU host check: configure and build with CUDA, run the cuda-labelled tests, then benchmark the
# CUDA scanner for 30 s and print GH/s. Everything printed is also written to a log.
#   scripts/gpu-check.sh [LOG]     LOG defaults to build-gpu/gpu-check-<date>.log
# Needs an NVIDIA GPU with its driver, and nvcc (PATH, $CUDA_HOME/bin or /usr/local/cuda/bin).
# Finishes in under 6 minutes: each step has its own time limit.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
build=${IH_GPU_CHECK_BUILD_DIR:-build-gpu}
mkdir -p "$build"
log=${1:-$(cd "$build" && pwd)/gpu-check-$(date +%Y%m%d-%H%M%S).log}
exec > >(tee -a "$log") 2>&1
start=$(date +%s)
step() { echo; echo "=== $1 ($(($(date +%s) - start)) s) ==="; }
die() { echo "gpu-check: $*" >&2; exit 1; }

step "GPU and toolkit"
command -v nvidia-smi >/dev/null 2>&1 || die "nvidia-smi not found: no NVIDIA driver on this host"
nvidia-smi --query-gpu=index,name,compute_cap,driver_version,memory.total,clocks.max.sm \
  --format=csv || die "nvidia-smi cannot talk to the driver"
nvcc=$(command -v nvcc || true)
for candidate in "${CUDA_HOME:-}/bin/nvcc" /usr/local/cuda/bin/nvcc; do
  [ -n "$nvcc" ] && break
  [ -x "$candidate" ] && nvcc=$candidate
done
[ -n "$nvcc" ] || die "nvcc not found (PATH, \$CUDA_HOME/bin, /usr/local/cuda/bin)"
"$nvcc" --version | tail -2

# Only this GPU's architecture: the full list (IH_CUDA_ARCHITECTURES) is for release builds.
cap=$(nvidia-smi --query-gpu=compute_cap --format=csv,noheader | head -1 | tr -d ' .')
archs=${IH_GPU_CHECK_ARCHS:-${cap}-real}
jobs=$(nproc 2>/dev/null || echo 2)

step "configure and build (CUDA ON, sm ${archs}, -j${jobs})"
timeout 60 cmake -S . -B "$build" -DCMAKE_BUILD_TYPE=Release -DIH_CUDA=ON \
  -DCMAKE_CUDA_COMPILER="$nvcc" -DIH_CUDA_ARCHITECTURES="$archs" >/dev/null
timeout 180 cmake --build "$build" -j "$jobs" --target infinite-hashes kernels_cuda_test

step "cuda-labelled tests"
(cd "$build" && ctest -L cuda -N | grep -q "Total Tests: [1-9]") || die "no cuda-labelled tests"
rc=0
(cd "$build" && timeout 60 ctest -L cuda --output-on-failure --verbose) >"$build/gpu-check-ctest.txt" 2>&1 || rc=$?
grep -E "cuda:[0-9]|no runnable|job switch|Test +#|tests passed|tests failed|Skipped|Failure|error" \
  "$build/gpu-check-ctest.txt" || true
[ "$rc" -eq 0 ] || { cat "$build/gpu-check-ctest.txt"; die "cuda-labelled tests failed"; }
grep -q "Skipped" "$build/gpu-check-ctest.txt" && die "cuda tests skipped: the GPU is not usable"

step "benchmark: infinite-hashes bench --device cuda --seconds 30"
bench_out=$(timeout 45 "$build/agent/infinite-hashes" bench --device cuda --seconds 30) ||
  die "bench --device cuda failed"
echo "$bench_out"
# Table rows: scanner device threads <total> <unit> <per thread> <unit> speed-up status.
echo "$bench_out" | awk '
  $2 == "cuda" && $NF == "ok" {
    scale = $5 == "GH/s" ? 1 : $5 == "MH/s" ? 1e-3 : 0
    total += $4 * scale; devices++
  }
  END {
    if (devices == 0) { print "GH/s: no cuda result in the bench output"; exit 1 }
    printf "GH/s: %.3f (SHA-256d, %d CUDA device(s))\n", total, devices
  }'

# Decides whether the systemd unit may set MemoryDenyWriteExecute= (packaging/systemd): does the
# NVIDIA driver need memory that is writable and executable?
step "CUDA under memory-deny-write-execute (scripts/run-without-wx.sh)"
if timeout 30 scripts/run-without-wx.sh "$build/agent/infinite-hashes" bench --device cuda \
    --seconds 2 >"$build/gpu-check-mdwe.txt" 2>&1 && grep -q " ok" "$build/gpu-check-mdwe.txt"; then
  echo "MDWE: CUDA works without W+X memory"
else
  tail -5 "$build/gpu-check-mdwe.txt"
  echo "MDWE: CUDA does not work without W+X memory (keep MemoryDenyWriteExecute off)"
fi

step "done; log: $log"
