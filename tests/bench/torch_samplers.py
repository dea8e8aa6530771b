#!/usr/bin/python3
"""Side-by-side reference for BM_SamplerPerNfe: the same five samplers on the paper's
network shape (3 -> 128 -> SiLU x3 -> 2, float32, score output, SIMPLE schedule), 3000
particles, about 100 network evaluations each, in PyTorch with no gradient.

    /usr/bin/python3 tests/bench/torch_samplers.py [threads] [repeats]
Samplers (SCIENCE.md §12): em (h = 1, 100 steps), heun (50 steps), ddim (η = 1, 100
evaluations), edm (Algorithm 2 on x/α, 50 points, churn 40), restart (42 points, 2 walks of
4 Heun steps in the levels [0.06, 0.3]). Prints the median time per network evaluation of
each and the BLAS torch runs on.
"""
import math
import sys
import time

import torch

torch.set_num_threads(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 5
torch.manual_seed(0)
layers, dims = [], 3
for k in range(4):
    out = 2 if k == 3 else 128
    layers.append(torch.nn.Linear(dims, out))
    if k < 3:
        layers.append(torch.nn.SiLU())
    dims = out
net = torch.nn.Sequential(*layers)
n, t_min, t_max = 3000, 0.01, 1.0


def alpha(t):
    return math.exp(-5 * t * t)


def sigma(t):
    return math.sqrt(-math.expm1(-10 * t * t))


def ratio(t):  # σ/α
    return math.sqrt(math.expm1(10 * t * t))


def time_of(r):
    return math.sqrt(math.log1p(r * r) / 10)


def score(x, t):
    return net(torch.cat([x, torch.full((x.shape[0], 1), t)], dim=1))


def em(steps=100, h=1.0):
    x, dt = torch.randn(n, 2), (t_max - t_min) / steps
    for k in range(steps):
        t = t_max - k * dt
        f, g2 = -10 * t, 20 * t
        x = x - f * x * dt + 0.5 * (1 + h) * g2 * dt * score(x, t) + math.sqrt(h * g2 * dt) * torch.randn(n, 2)
    return x, steps


def heun(steps=50):
    x, dt = torch.randn(n, 2), (t_max - t_min) / steps
    for k in range(steps):
        t, t1 = t_max - k * dt, t_max - (k + 1) * dt
        k1 = -10 * t * x - 10 * t * score(x, t)
        xp = x - dt * k1
        k2 = -10 * t1 * xp - 10 * t1 * score(xp, t1)
        x = x - 0.5 * dt * (k1 + k2)
    return x, 2 * steps


def ddim(N=100, eta=1.0):
    x = torch.randn(n, 2)
    ts = [t_max - i * (t_max - t_min) / (N - 1) for i in range(N)]
    for i, t in enumerate(ts):
        a, s = alpha(t), sigma(t)
        eps = -s * score(x, t)
        x0 = (x - s * eps) / a
        if i == N - 1:
            return x0, N
        a1, s1 = alpha(ts[i + 1]), sigma(ts[i + 1])
        vs = eta * (s1 / s) * math.sqrt(max(0.0, s * s - (a * s1 / a1) ** 2))
        x = a1 * x0 + math.sqrt(max(0.0, s1 * s1 - vs * vs)) * eps + vs * torch.randn(n, 2)


def levels(hi, lo, N, rho=7.0):
    a, b = hi ** (1 / rho), lo ** (1 / rho)
    return [(a + i / (N - 1) * (b - a)) ** rho for i in range(N)]


def denoise(y, r):
    t = time_of(r)
    a, s = alpha(t), sigma(t)
    x = a * y
    return (x + s * s * score(x, t)) / a


def edm_step(y, r, r1, gamma):
    rh = (1 + gamma) * r
    if gamma > 0:
        y = y + r * math.sqrt(gamma * (2 + gamma)) * torch.randn(n, 2)
    d = (y - denoise(y, rh)) / rh
    y1 = y + (r1 - rh) * d
    nfe = 1
    if r1 != 0:
        y1 = y + (r1 - rh) * 0.5 * (d + (y1 - denoise(y1, r1)) / r1)
        nfe = 2
    return y1, nfe


def edm(N=50, churn=40.0, restart=None):
    lv = levels(ratio(t_max), ratio(t_min), N) + [0.0]
    y, nfe = torch.randn(n, 2) / alpha(t_max), 0
    g = min(churn / N, math.sqrt(2) - 1)
    at = min(range(1, N - 1), key=lambda i: abs(math.log(lv[i] / 0.06))) if restart else -1
    for i in range(N):
        y, k = edm_step(y, lv[i], lv[i + 1], g)
        nfe += k
        if restart and i + 1 == at:
            for _ in range(restart[0]):
                y = y + math.sqrt(0.3 ** 2 - lv[at] ** 2) * torch.randn(n, 2)
                sub = levels(0.3, lv[at], restart[1] + 1)
                for j in range(restart[1]):
                    y, k = edm_step(y, sub[j], sub[j + 1], 0.0)
                    nfe += k
    return y, nfe


runs = {"em": em, "heun": heun, "ddim": ddim, "edm": edm, "restart": lambda: edm(42, 0.0, (2, 4))}
with torch.no_grad():
    for name, run in runs.items():
        run()  # warm up
        times = []
        for _ in range(repeats):
            t0 = time.perf_counter()
            _, nfe = run()
            times.append((time.perf_counter() - t0) / nfe)
        times.sort()
        print(f"{name}: median {1e3 * times[len(times) // 2]:.3f} ms per evaluation ({nfe} evaluations, {repeats} runs)")
blas = sorted({line.split()[-1] for line in open("/proc/self/maps") if "blas" in line.lower() and "/" in line})
print(f"threads {torch.get_num_threads()}, particles {n}; BLAS: {', '.join(blas) or '?'}")
