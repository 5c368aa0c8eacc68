#!/usr/bin/env python3
"""Counts what one nonce batch of a lane kernel executes, from its object file (DESIGN §5).

    bench/scripts/hot_loop.py OBJECT NONCES_PER_BATCH [TRIP ...] [--outer LO,HI] [--mca CPU]

OBJECT is e.g. build/kernels/CMakeFiles/ih_kernels.dir/src/cpu/avx512_scan.cpp.o. The nonce loop
of its scan_lanes<> function is taken as one block (the backward jump with the largest span, or
--outer); each loop inside it is repeated TRIP times, in address order (default 1; give 0 for the
rarely taken candidate loops). The loops found are listed so the trips can be matched to the
source: for the avx512 kernel with 2 groups they are 2 4 2 2 3 0 (hash 1 rounds 16..31 and
32..63, hash 2's per-group setup, hash 2 rounds 16..31 and 32..55, candidates). Prints
instructions and their mix per nonce; --mca runs llvm-mca-15 on the block for a throughput model.
"""
import argparse
import collections
import re
import subprocess
import tempfile


def instructions(obj):
    text = subprocess.run(["objdump", "-d", "--no-show-raw-insn", "-C", obj], check=True,
                          capture_output=True, text=True).stdout
    out, inside = [], False
    for line in text.splitlines():
        if line.endswith(">:"):
            inside = "scan_lanes" in line
            continue
        m = re.match(r"\s+([0-9a-f]+):\t(\S+)\s*(.*)", line)
        if m and inside:
            out.append((int(m.group(1), 16), m.group(2), m.group(3).strip()))
    return out


def kind(op, args):
    if op.startswith("vmov"):
        if args.endswith(")"):
            return "store"
        return "load" if "(" in args else "register move"
    if op in ("vprord", "vprold"):
        return "rotate"
    return op


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("object")
    ap.add_argument("nonces", type=int)
    ap.add_argument("trips", type=int, nargs="*")
    ap.add_argument("--outer")
    ap.add_argument("--mca", metavar="CPU")
    a = ap.parse_args()
    ins = instructions(a.object)
    back = [(int(args.split()[0], 16), addr) for addr, op, args in ins
            if op.startswith("j") and args and int(args.split()[0], 16) < addr]
    outer = (tuple(int(x, 16) for x in a.outer.split(",")) if a.outer
             else max(back, key=lambda b: b[1] - b[0]))
    inner = sorted(b for b in back if b != outer and outer[0] <= b[0] and b[1] <= outer[1])
    inner = [b for b in inner if not any(o != b and o[0] <= b[0] and b[1] <= o[1] for o in inner)]
    block = []

    def emit(lo, hi):
        block.extend((op, args) for addr, op, args in ins
                     if lo <= addr < hi and not op.startswith("j") and "<" not in args)

    pos = outer[0]
    for k, (top, jump) in enumerate(inner):
        emit(pos, top)
        for _ in range(a.trips[k] if k < len(a.trips) else 1):
            emit(top, jump + 1)
        pos = jump + 1
    emit(pos, outer[1])
    print("loops inside the nonce loop:",
          ", ".join(f"{t:#x}..{j:#x} x{a.trips[k] if k < len(a.trips) else 1}"
                    for k, (t, j) in enumerate(inner)))
    print(f"instructions/nonce {len(block) / a.nonces:.1f}")
    mix = collections.Counter(kind(op, args) for op, args in block)
    print("  " + ", ".join(f"{name} {n / a.nonces:.1f}" for name, n in mix.most_common(12)))
    if a.mca:
        with tempfile.NamedTemporaryFile("w", suffix=".s") as f:
            f.write("\n".join(f"{op} {args}" for op, args in block) + "\n")
            f.flush()
            report = subprocess.run(["llvm-mca-15", f"-mcpu={a.mca}", "-iterations=4", f.name],
                                    capture_output=True, text=True).stdout
        cycles = int(re.search(r"Total Cycles:\s+(\d+)", report).group(1))
        print(f"llvm-mca -mcpu={a.mca}: {cycles / 4 / a.nonces:.1f} cycles/nonce")


if __name__ == "__main__":
    main()
