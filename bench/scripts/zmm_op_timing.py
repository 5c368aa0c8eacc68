#!/usr/bin/env python3
"""Latency and throughput of the AVX-512 operations the SHA-256 kernel is made of, on this CPU.

    bench/scripts/zmm_op_timing.py [--cxx g++]

Writes a small C++ program of inline-assembly loops into a temporary folder, builds and runs it:
one dependent chain per operation (latency) and 16 independent chains (throughput), in cycles of
a chain of dependent scalar adds (1 cycle each, so no clock needs to be known). Needs AVX-512F.
On the Zen 5 guest: vpaddd, vpternlogd and vprord all take 2 cycles; 4 vector operations issue
per cycle, shifts and rotates 2 (bench/scripts/round_latency.py uses these figures).
"""
import argparse
import os
import subprocess
import tempfile

OPS = {
    "vpaddd": "vpaddd %%zmm29, %%zmm{d}, %%zmm{d}",
    "vpternlogd": "vpternlogd $0x96, %%zmm29, %%zmm30, %%zmm{d}",
    "vprord": "vprord $7, %%zmm{d}, %%zmm{d}",
    "vpsrld": "vpsrld $3, %%zmm{d}, %%zmm{d}",
}
MIXES = {"sha-round mix": ["vprord", "vprord", "vprord", "vpternlogd", "vpaddd", "vpaddd",
                           "vprord", "vpternlogd", "vpaddd", "vpaddd", "vprord", "vprord",
                           "vpternlogd", "vpaddd", "vpaddd", "vpaddd", "vpternlogd"]}


def loop(name, lines):
    body = "".join(f'"{x}\\n\\t"' for x in lines)
    clobbers = ",".join(f'"zmm{i}"' for i in range(16)) + ',"zmm29","zmm30"'
    return (f"static double {name}() {{ double t = now(); for (long i = 0; i < kIters; ++i) "
            f"{{ asm volatile({body} ::: {clobbers}); }} return (now() - t) / (kIters * "
            f"{len(lines)}.0); }}")


def program():
    out = ["#include <chrono>", "#include <cstdio>",
           "static double now() { return std::chrono::duration<double>("
           "std::chrono::steady_clock::now().time_since_epoch()).count(); }",
           "constexpr long kIters = 2000000;",
           "static double scalar() { long a = 0; double t = now(); for (long i = 0; i < kIters;"
           " ++i) { asm volatile(" + '"add $1, %0\\n\\t"' * 64 + ' : "+r"(a)); }'
           " return (now() - t) / (kIters * 64.0); }"]
    rows = []
    for i, (op, form) in enumerate(OPS.items()):
        out.append(loop(f"lat{i}", [form.format(d=0)] * 64))
        out.append(loop(f"tp{i}", [form.format(d=j % 16) for j in range(64)]))
        rows.append(f'std::printf("%-16s latency %.2f cycles, throughput %.2f per cycle\\n", '
                    f'"{op}", lat{i}() / c, c / tp{i}());')
    for i, (name, kinds) in enumerate(MIXES.items()):
        out.append(loop(f"mix{i}", [OPS[kinds[j % len(kinds)]].format(d=j % 16)
                                    for j in range(68)]))
        rows.append(f'std::printf("%-16s throughput %.2f per cycle\\n", "{name}", c / mix{i}());')
    out.append("int main() { const double c = scalar(); std::printf(\"clock %.2f GHz\\n\", "
               "1e-9 / c); " + " ".join(rows) + " }")
    return "\n".join(out) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cxx", default="g++")
    a = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        src, exe = os.path.join(tmp, "ops.cpp"), os.path.join(tmp, "ops")
        with open(src, "w") as f:
            f.write(program())
        subprocess.run([a.cxx, "-O2", "-mavx512f", src, "-o", exe], check=True)
        subprocess.run([exe], check=True)


if __name__ == "__main__":
    main()
