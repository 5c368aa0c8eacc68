#!/usr/bin/env python3
"""Latency-bound cycles per iteration of one loop in a kernel object (DESIGN §5).

    bench/scripts/round_latency.py OBJECT LO HI [--latency 2] [--chain]

LO..HI is a loop's address range as bench/scripts/hot_loop.py lists it (e.g. the 8-round blocks
of the avx512 kernel). Each vector operation is given LATENCY cycles (2 on Zen 5 for vpaddd,
vprord and vpternlogd, as bench/scripts/zmm_op_timing.py measures), register moves 0 (they are
eliminated), loads 5 and loads of a slot stored earlier 7; ports are unlimited. The loop is
unrolled until the time per iteration is steady: that is the cycles its dependency chains need
however wide the core is. Beside it, the throughput bound: vector operations / 4, shifts and
rotates / 2 (Zen 5). --chain prints the critical chain of the last iteration.
"""
import argparse
import re
import subprocess


def instructions(obj, lo, hi):
    text = subprocess.run(["objdump", "-d", "--no-show-raw-insn", obj], check=True,
                          capture_output=True, text=True).stdout
    out = []
    for line in text.splitlines():
        m = re.match(r"\s+([0-9a-f]+):\t(\S+)\s*(.*)", line)
        if m and lo <= int(m.group(1), 16) < hi:
            out.append((m.group(2), m.group(3).split("#")[0].strip()))
    return out


def operands(text):
    out, depth, cur = [], 0, ""
    for ch in text:
        depth += (ch == "(") - (ch == ")")
        if ch == "," and depth == 0:
            out.append(cur.strip())
            cur = ""
        else:
            cur += ch
    if cur.strip():
        out.append(cur.strip())
    return [x for x in out if not x.startswith("$")]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("object")
    ap.add_argument("lo")
    ap.add_argument("hi")
    ap.add_argument("--latency", type=int, default=2)
    ap.add_argument("--chain", action="store_true")
    a = ap.parse_args()
    ins = instructions(a.object, int(a.lo, 16), int(a.hi, 16))
    vector = [(op, operands(args)) for op, args in ins if op.startswith("v")]
    alu = sum(1 for op, _ in vector if not op.startswith("vmov"))
    shifts = sum(1 for op, _ in vector if re.match(r"vp(ro[rl]|s[rl]l|sra)d", op))
    ready, came_from, ends = {}, {}, []
    for it in range(6):
        last = (0, None)
        for idx, (op, args) in enumerate(vector):
            dst, srcs = args[-1], args[:-1]

            def when(x):
                slot = re.sub(r"\{.*?\}", "", x)
                t, node = ready.get(slot, (0, None))
                if "(" in x:
                    return (t + (7 if slot in ready else 5), node)
                return (t, node)

            if op.startswith("vmov") and "(" in dst:
                ready[dst] = when(srcs[0])
                continue
            reads = srcs + ([dst] if op.startswith("vpternlog") else [])
            t, node = max([when(x) for x in reads] + [(0, None)], key=lambda z: z[0])
            done = t + (0 if op.startswith("vmov") else a.latency)
            came_from[(it, idx)] = node
            ready[dst] = (done, (it, idx))
            last = max(last, (done, (it, idx)), key=lambda z: z[0])
        ends.append(last)
    per = ends[-1][0] - ends[-2][0]
    print(f"{len(ins)} instructions, {alu} vector operations ({shifts} shifts/rotates)")
    print(f"latency bound {per} cycles per iteration; throughput bound "
          f"{max(alu / 4, shifts / 2):.1f}")
    if a.chain:
        node, chain = ends[-1][1], []
        while node is not None and node[0] >= len(ends) - 2:
            chain.append(node)
            node = came_from.get(node)
        for it, idx in reversed(chain):
            op, args = vector[idx]
            print(f"  {op} {', '.join(args)}")


if __name__ == "__main__":
    main()
