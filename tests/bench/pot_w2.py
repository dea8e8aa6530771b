#!/usr/bin/python3
"""Side-by-side reference for `hbar-cli w2`: POT's ot.emd2 on the same two CSVs.

Debian's python3-pot (not installed by the setup script; a benchmark aid only):
    /usr/bin/python3 tests/bench/pot_w2.py A.csv B.csv [repeats]
Prints W2² (POT's emd2 with the default squared-Euclidean ot.dist) and the median time.
"""
import sys
import time

import numpy as np
import ot

a = np.loadtxt(sys.argv[1], delimiter=",", skiprows=1)
b = np.loadtxt(sys.argv[2], delimiter=",", skiprows=1)
repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 3
wa = np.full(len(a), 1.0 / len(a))
wb = np.full(len(b), 1.0 / len(b))
times, value = [], None
for _ in range(repeats):
    t0 = time.perf_counter()
    value = ot.emd2(wa, wb, ot.dist(a, b), numItermax=10_000_000)
    times.append(time.perf_counter() - t0)
print(f"POT emd2 W2^2 = {value:.12g}  median {np.median(times):.3f} s over {repeats}")
