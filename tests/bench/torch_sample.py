#!/usr/bin/python3
"""Side-by-side reference for hbar's learned-score sampling (BM_LearnedSampling): one
Euler-Maruyama step of the h-dynamics with the paper's network in PyTorch, batch N.

    /usr/bin/python3 tests/bench/torch_sample.py [particles] [threads] [steps]
Same network shape as torch_train.py (3 -> 128 -> SiLU x3 -> 2), float32, no gradient;
one step = the network on [x, t] plus the drift and noise update (SIMPLE schedule, h = 1).
Prints the median time per step and the BLAS torch runs on.
"""
import math
import sys
import time

import torch

n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
steps = int(sys.argv[3]) if len(sys.argv) > 3 else 300
torch.manual_seed(0)
layers, width, dims = [], 128, 3
for k in range(4):
    out = 2 if k == 3 else width
    layers.append(torch.nn.Linear(dims, out))
    if k < 3:
        layers.append(torch.nn.SiLU())
    dims = out
net = torch.nn.Sequential(*layers)
x = torch.randn(n, 2)
dt = (1.0 - 0.01) / 1000
h = 1.0


@torch.no_grad()
def step(x, t):
    s = net(torch.cat([x, torch.full((n, 1), t)], dim=1))
    beta = 20 * t
    drift = -0.5 * beta * x - (1 + h) / 2 * beta * s
    return x - drift * dt + math.sqrt(h * beta * dt) * torch.randn(n, 2)


for k in range(20):
    x = step(x, 1.0 - k * dt)
times = []
for k in range(steps):
    t0 = time.perf_counter()
    x = step(x, 1.0 - (k % 1000) * dt)
    times.append(time.perf_counter() - t0)
times.sort()
# The BLAS this process runs on (Debian's torch links libblas.so.3: the reference BLAS
# until an optimised one such as libopenblas0-pthread is installed).
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "/" in line})
print(f"particles {n}, threads {torch.get_num_threads()}: median {1e3 * times[len(times) // 2]:.3f} ms per step"
      f" ({steps} steps); BLAS: {', '.join(blas) or '?'}")
