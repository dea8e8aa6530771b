#!/usr/bin/env python3
"""When does noise help? (issue: noise schedules h(t), README "Findings").

For the paper's four learned models (Swiss roll and 25 Gaussians x SIMPLE and COSINE,
the paper's network, 80k Adam steps, seed 1) and a biased exact score (25 Gaussians,
SIMPLE, eps = 0.2), with hbar-cli only:
  1. c(t) over 200 held-out points and the first-order best window of length 0.2
     (suggest-h, h_max = 0.2);
  2. the exact NLL (Fokker-Planck) with noise only on that window, heights H, against
     constant h with the same integral of h (H * 0.2 / (T_max - T_min));
  3. exact W2 to held-out data (10 trials), the same two schedules.
Writes OUT/summary.json (resumable: a model already in it is not run again),
OUT/c_<model>.csv, OUT/c_of_t.svg (c̄(t) ± s.e. of every model on an asinh scale; a
model whose CSV is missing gets its suggest-h run again, seconds) and prints a
Markdown table. The Fokker-Planck runs of a learned
network dominate (its largest speed on the grid sets the step): about 6 min per
SIMPLE model and 18 min per COSINE model on 2 cores at 128 cells.
Usage: scripts/h_window_findings.py BUILD_DIR OUT_DIR [--quick] [--only WORD]
"""
import json
import math
import os
import subprocess
import sys
import time

build, out = sys.argv[1], sys.argv[2]
quick = "--quick" in sys.argv
cli = os.path.join(build, "app", "cli", "hbar-cli")
os.makedirs(out, exist_ok=True)
steps = 2000 if quick else 80000
heights = [0.1, 0.2]
length, h_max = 0.2, 0.2
n_nll, n_w2, trials = (50, 500, 3) if quick else (200, 2000, 10)


def run(args):
    t0 = time.time()
    r = subprocess.run([cli] + args + ["--json"], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"hbar-cli {' '.join(args)} failed: {r.stderr.strip()}")
    print(f"  {args[0]} … {time.time() - t0:.1f} s", file=sys.stderr)
    return json.loads(r.stdout)


models = []
for data in ["swissroll", "gauss25"]:
    for sched in ["simple", "cosine"]:
        path = os.path.join(out, f"{data}_{sched}.hbm")
        if not os.path.exists(path):
            run(["train", "--data", data, "--schedule", sched, "--steps", str(steps), "--seed", "1", "--out", path])
        models.append((f"{data} {sched.upper()} learned", ["--data", data, "--schedule", sched, "--score", path]))
models.append(("gauss25 SIMPLE biased exact (eps 0.2)", ["--data", "gauss25", "--schedule", "simple", "--bias", "0.2"]))

summary = os.path.join(out, "summary.json")
rows = json.load(open(summary)) if os.path.exists(summary) else []
only = sys.argv[sys.argv.index("--only") + 1] if "--only" in sys.argv else ""
for name, base in models:
    if any(r["model"] == name for r in rows) or only not in name:
        continue
    print(name, file=sys.stderr)
    tag = name.split(" (")[0].replace(" ", "_")
    sug = run(["suggest-h"] + base + ["--n", str(n_nll), "--h-max", str(h_max), "--window-length", str(length),
                                      "--c-of-t", os.path.join(out, f"c_{tag}.csv")])
    w = sug["best_window"]["windows"][0]
    window = f"{w[0]}:{w[1]}"
    span = sug["best_window_equal_constant"]["integral"] / sug["best_window_equal_constant"]["height"]
    const_h = [h * length / span for h in heights]
    # A learned network is wild far from the data: its largest speed on the grid sets the
    # Fokker–Planck step (thousands of steps); 128 cells keep a model to ~2 min. NLLs are
    # reported as differences from the same grid's h = 0, where most grid error cancels.
    fp_cells = "64" if quick else "128"
    if "exact" in name:  # the analytic mixture is cheap on the grid: resolve its narrow modes
        fp_cells = "96" if quick else "320"
    nll_w = run(["nll"] + base + ["--n", str(n_nll), "--h-window", window, "--fp-cells", fp_cells,
                                  "--exact-h", ",".join(["0"] + [str(h) for h in heights])])
    nll_c = run(["nll"] + base + ["--n", str(n_nll), "--fp-cells", fp_cells,
                                  "--exact-h", ",".join(["0"] + [str(h) for h in const_h])])
    sw_w = run(["sweep"] + base + ["--h", f"{heights[0]}:{heights[-1]}:{len(heights)}", "--h-window", window,
                                   "--trials", str(trials), "--n", str(n_w2), "--steps", "500"])
    sw_c = run(["sweep"] + base + ["--h", f"{const_h[0]}:{const_h[-1]}:{len(const_h)}",
                                   "--trials", str(trials), "--n", str(n_w2), "--steps", "500"])
    sw_0 = run(["sweep"] + base + ["--h", "0", "--trials", str(trials), "--n", str(n_w2), "--steps", "500"])
    rows.append({
        "model": name, "c_mean": sug["c_mean"], "best_window": w,
        "best_schedule": sug["best_schedule"].get("windows"),
        "gain_window_per_h": sug["best_window"]["gain_mean"] / h_max,
        "gain_window_sem_per_h": sug["best_window"]["gain_sem"] / h_max,
        "gain_const_per_h": sug["best_window_equal_constant"]["gain_mean"] / h_max,
        "nll0_ode": nll_w["nll0_mean"], "fp_h0_error": nll_w["fp"]["h0_mean_abs_error"],
        "nll_window": [(r["h"], r["nll_mean"], r["nll_first_order"]) for r in nll_w["nll_exact"]],
        "nll_const": [(r["h"], r["nll_mean"], r["nll_first_order"]) for r in nll_c["nll_exact"]],
        "first_order_window": [sug["nll0_mean"] - h * sug["best_window"]["gain_mean"] / h_max for h in heights],
        "first_order_const": [sug["nll0_mean"] - h * sug["best_window_equal_constant"]["gain_mean"] / h_max
                              for h in heights],
        "w2_0": (sw_0["rows"][0]["w2_mean"], sw_0["rows"][0]["w2_sem"]),
        "w2_window": [(r["h"], r["w2_mean"], r["w2_sem"]) for r in sw_w["rows"]],
        "w2_const": [(r["h"], r["w2_mean"], r["w2_sem"]) for r in sw_c["rows"]],
    })
    with open(summary, "w") as f:
        json.dump(rows, f, indent=1)

print("| model | C̄ | best window (length 0.2) | H | ΔNLL window, exact (1st order) | ΔNLL same-∫h constant, exact (1st order) "
      "| grid error at h = 0 | W2 window | W2 constant | W2 at h = 0 |")
print("|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    for k, h in enumerate(heights):
        d_w = r["nll_window"][k + 1][1] - r["nll_window"][0][1]
        d_c = r["nll_const"][k + 1][1] - r["nll_const"][0][1]
        f_w = r["first_order_window"][k] - r["nll0_ode"]
        f_c = r["first_order_const"][k] - r["nll0_ode"]
        w2w, w2c = r["w2_window"][k], r["w2_const"][k]
        print(f"| {r['model']} | {r['c_mean']:.3g} | [{r['best_window'][0]:.3f}, {r['best_window'][1]:.3f}] | {h} "
              f"| {d_w:+.3f} ({f_w:+.3f}) | {d_c:+.3f} ({f_c:+.3f}) | {r['fp_h0_error']:.2f} "
              f"| {w2w[1]:.4f} ± {w2w[2]:.4f} | {w2c[1]:.4f} ± {w2c[2]:.4f} | {r['w2_0'][0]:.4f} ± {r['w2_0'][1]:.4f} |")


# The figure: c̄(t) ± s.e. of every model, asinh scale (c spans orders of magnitude).
def curve(name, base):
    tag = name.split(" (")[0].replace(" ", "_")
    path = os.path.join(out, f"c_{tag}.csv")
    if not os.path.exists(path):
        run(["suggest-h"] + base + ["--n", str(n_nll), "--h-max", str(h_max), "--window-length", str(length),
                                    "--c-of-t", path])
    with open(path) as f:
        next(f)
        return [tuple(map(float, line.split(","))) for line in f if line.strip()]


W, H, L, R, T, B = 760, 400, 64, 250, 40, 48
ys = lambda c: math.asinh(c)  # c in nats per unit time; asinh(c) ≈ c near 0, ≈ log(2c) beyond 1
curves = [(name, curve(name, base)) for name, base in models]
top = max(ys(m + e) for _, pts in curves for _, m, e in pts)
bot = min(0.0, min(ys(m - e) for _, pts in curves for _, m, e in pts))
px = lambda t: L + t * (W - L - R)
py = lambda v: T + (top - v) / (top - bot) * (H - T - B)
colours = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" font-family="sans-serif" font-size="12">',
       f'<rect width="{W}" height="{H}" fill="white"/>',
       f'<text x="{L}" y="20" font-size="14">c̄(t) ± s.e. at {n_nll} held-out points: where a little noise helps (c̄ &gt; 0)</text>']
for c in [-10, -1, 0, 1, 10, 100, 1000, 10000]:
    v = ys(c)
    if bot <= v <= top:
        svg.append(f'<line x1="{L}" x2="{W - R}" y1="{py(v):.1f}" y2="{py(v):.1f}" stroke="{"#444" if c == 0 else "#ddd"}"/>')
        svg.append(f'<text x="{L - 6}" y="{py(v) + 4:.1f}" text-anchor="end">{c}</text>')
for t in [0, 0.2, 0.4, 0.6, 0.8, 1.0]:
    svg.append(f'<text x="{px(t):.1f}" y="{H - B + 16}" text-anchor="middle">{t:g}</text>')
svg.append(f'<text x="{(L + W - R) / 2}" y="{H - 10}" text-anchor="middle">t</text>')
svg.append(f'<text x="14" y="{T + (H - T - B) / 2}" transform="rotate(-90 14 {T + (H - T - B) / 2})" '
           f'text-anchor="middle">c̄ (asinh scale)</text>')
for k, (name, pts) in enumerate(curves):
    col = colours[k % len(colours)]
    band = [(px(t), py(ys(m + e))) for t, m, e in pts] + [(px(t), py(ys(m - e))) for t, m, e in reversed(pts)]
    svg.append('<polygon fill="' + col + '" fill-opacity="0.15" points="' +
               " ".join(f"{x:.1f},{y:.1f}" for x, y in band) + '"/>')
    svg.append('<polyline fill="none" stroke="' + col + '" stroke-width="1.6" points="' +
               " ".join(f"{px(t):.1f},{py(ys(m)):.1f}" for t, m, _ in pts) + '"/>')
    ly = T + 16 + 18 * k
    svg.append(f'<line x1="{W - R + 12}" x2="{W - R + 32}" y1="{ly}" y2="{ly}" stroke="{col}" stroke-width="2"/>')
    svg.append(f'<text x="{W - R + 38}" y="{ly + 4}">{name.split(" (")[0]}</text>')
svg.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#888"/>')
svg.append("</svg>")
with open(os.path.join(out, "c_of_t.svg") + ".tmp", "w") as f:
    f.write("\n".join(svg) + "\n")
os.replace(os.path.join(out, "c_of_t.svg") + ".tmp", os.path.join(out, "c_of_t.svg"))
print(f"figure: {os.path.join(out, 'c_of_t.svg')}", file=sys.stderr)
