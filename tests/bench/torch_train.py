#!/usr/bin/python3
"""Side-by-side reference for `hbar-cli train`: the paper's network and loss in PyTorch.

Debian's python3-torch (not installed by the setup script; a benchmark aid only). Install
libopenblas0-pthread first: without it torch runs the reference BLAS, ~5x slower here.
    /usr/bin/python3 tests/bench/torch_train.py [steps] [threads]
Same network (3 → 128 → swish ×3 → 2, LeCun-normal weights, zero biases), same
denoising score-matching loss with g(t)² weighting on the 1000-point t grid (SIMPLE),
Adam lr 1e-3, batch 512, on a 25-Gaussian draw. Prints the median time per step.
"""
import math
import sys
import time

import numpy as np
import torch

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 300
torch.set_num_threads(int(sys.argv[2]) if len(sys.argv) > 2 else 1)
rng = np.random.default_rng(0)
centres = np.array([(2 * i, 2 * j) for i in range(-2, 3) for j in range(-2, 3)], dtype=np.float32)
data = torch.tensor((centres[rng.integers(0, 25, 3000)] + 0.05 * rng.standard_normal((3000, 2))) / 2.828,
                    dtype=torch.float32)

layers, width, dims = [], 128, 3
for k in range(4):
    out = 2 if k == 3 else width
    lin = torch.nn.Linear(dims, out)
    torch.nn.init.normal_(lin.weight, std=1 / math.sqrt(dims))
    torch.nn.init.zeros_(lin.bias)
    layers.append(lin)
    if k < 3:
        layers.append(torch.nn.SiLU())
    dims = out
net = torch.nn.Sequential(*layers)
opt = torch.optim.Adam(net.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-8)
grid = torch.linspace(0.01, 1.0, 1000)


def step():
    idx = torch.randint(0, 3000, (512,))
    t = grid[torch.randint(0, 1000, (512,))]
    alpha = torch.exp(-5 * t * t)[:, None]
    sigma = torch.sqrt(1 - torch.exp(-10 * t * t))[:, None]
    z = torch.randn(512, 2)
    xt = alpha * data[idx] + sigma * z
    s = net(torch.cat([xt, t[:, None]], dim=1))
    loss = ((20 * t)[:, None] * (s + z / sigma) ** 2).mean()
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


for _ in range(20):
    step()
times = []
for _ in range(steps):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "/" in line})
print(f"PyTorch {torch.__version__}: median {1e3 * np.median(times):.2f} ms per Adam step "
      f"({torch.get_num_threads()} thread(s), batch 512, 128 x 3); BLAS: {', '.join(blas) or '?'}")
