#!/bin/bash
# Our CPU scanner beside cpuminer-opt on the same machine, in one sitting: alternating runs,
# medians and bests (interference only ever slows a run down, so the best of each is the
# quiet figure). Usage:
#   bench/scripts/side_by_side.sh BUILD_DIR CPUMINER [ROUNDS] [SCANNER]
# BUILD_DIR holds bench/ih_cpu_scanner_bench; CPUMINER is a cpuminer-opt binary (e.g. from
# /work/shared/anchors/build.sh). Prints one line per round and the summary.
set -euo pipefail
build=${1:?build dir}
cpuminer=${2:?cpuminer-opt binary}
rounds=${3:-3}
scanner=${4:-avx512}
bench="$build/bench/ih_cpu_scanner_bench"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for i in $(seq "$rounds"); do
  for t in 1 2; do
    "$bench" --benchmark_filter="BM_CpuScan/$scanner/real_time/threads:$t\$" \
      --benchmark_min_time=3 --benchmark_format=json >"$work/ours${t}_$i.json" 2>/dev/null
  done
  timeout 30 "$cpuminer" -a sha256d --benchmark -t 1 --time-limit=10 >"$work/opt_$i.txt" 2>&1 || true
done

python3 - "$work" "$rounds" "$scanner" <<'PY'
import json, re, statistics, sys
work, rounds, scanner = sys.argv[1], int(sys.argv[2]), sys.argv[3]
def mhs(path):
    return json.load(open(path))["benchmarks"][0]["items_per_second"] / 1e6
one, two, opt = [], [], []
for i in range(1, rounds + 1):
    one.append(mhs(f"{work}/ours1_{i}.json"))
    two.append(mhs(f"{work}/ours2_{i}.json"))
    text = open(f"{work}/opt_{i}.txt").read()
    totals = [float(v) for v in re.findall(r"Total: ([\d.]+) MH/s", text)]
    opt.append(statistics.median(totals) if totals else float("nan"))
    print(f"round {i}: {scanner} 1 thread {one[-1]:.2f} MH/s, 2 threads {two[-1]:.2f}; "
          f"cpuminer-opt 1 thread {opt[-1]:.2f}")
for name, f in (("median", statistics.median), ("best", max)):
    a, b, c = f(one), f(two), f(opt)
    print(f"{name}: {scanner} {a:.2f} MH/s per thread vs cpuminer-opt {c:.2f} = {a / c:.2f}x; "
          f"2 threads {b:.2f} = {b / a:.2f}x one thread")
PY
