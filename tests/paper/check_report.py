#!/usr/bin/env python3
"""Checks a `scripts/reproduce.sh --quick` run in WORK: every part of the report is there
and filled, the figures are real files, and the numbers with an independent truth hold:
the toy model's closed form equals SCIENCE.md section 9's test vector, its simulation
agrees with the discretised chain's exact variance within 4 standard errors, and every
Table-1 row is finite. usage: check_report.py WORK"""
import json
import math
import os
import re
import sys
import xml.etree.ElementTree as ET

work = sys.argv[1]
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


report = open(os.path.join(work, "reproduction.md")).read()
for head in ("## The networks", "## Table 1", "### The two first-order methods", "## Fig. 4", "## Fig. 3",
             "## Fig. 2", "## Run time", "## Where we agree"):
    check(head in report, f"report has '{head}'")
num = r"-?\d+\.\d+"
for data in ("Swiss roll", "25 Gaussians"):
    for sched in ("SIMPLE", "COSINE"):
        row = re.search(rf"\| {data} \| {sched} \| {num} ± {num} \| ({num}) ± ({num}) \[({num})\] \| {num} ± {num} \| "
                        rf"({num}) ± ({num}) \[({num})\] \|", report)
        check(row is not None, f"Table 1 row {data} {sched} is filled")
        row2 = re.search(rf"\| {data} {sched} \| \d+ \| {num} \| {num} \| [+-]\d+\.\d+ ± \d+\.\d+ \|", report)
        check(row2 is not None, f"first-order comparison row {data} {sched} is filled")
table = json.load(open(os.path.join(work, "reproduction", "table1.json")))
check(len(table) == 4 and all(math.isfinite(v) for r in table.values() for v in r.values()),
      "reproduction/table1.json: four rows, all finite")

# SCIENCE.md section 9: v0 = 0.25, beta = 8, T = 1, u_T = 1.
truth = {(0.2, 0.0): (0.03826, 2.5541, 0.3044), (0.2, 0.1): (0.08666, 1.1385, 0.2056),
         (0.2, 1.0): (0.17857, 0.7576, 0.0774), (0.1, 0.0): (0.09782, 1.0345, 0.1872),
         (0.1, 1.0): (0.20833, 0.7346, 0.0436)}
seen = 0
for f in os.listdir(work):
    if not (f.startswith("toy_") and f.endswith(".json")):
        continue
    r = json.load(open(os.path.join(work, f)))
    key = (r["eps"], r["h"])
    if key in truth:
        u0, nll, w2 = truth[key]
        seen += 1
        check(abs(r["u0"] - u0) < 6e-5 and abs(r["nll"] - nll) < 6e-4 and abs(r["w2"] - w2) < 6e-4,
              f"toy eps {key[0]} h {key[1]}: u0 {r['u0']:.5f}, NLL {r['nll']:.4f}, W2 {r['w2']:.4f} = SCIENCE.md 9")
    z = (r["sim_var"] - r["sim_var_euler"]) / r["sim_var_stderr"]
    check(abs(z) < 4, f"toy eps {r['eps']} h {r['h']}: simulation within 4 s.e. of the chain ({z:+.2f})")
check(seen >= 4, f"the toy table covers SCIENCE.md's vector ({seen} of its rows)")

for d in ("swissroll", "gauss25"):
    svg = ET.parse(os.path.join(work, "reproduction", f"fig4_{d}.svg")).getroot()
    series = [p for p in svg.iter() if p.get("class") == "series"]
    check(len(series) == 2, f"fig4_{d}.svg: two series (SIMPLE, COSINE), found {len(series)}")
    from PIL import Image, ImageChops, ImageStat
    shots = {}
    for k in ("h0", "h0.25", "h1", "overlay"):
        png = os.path.join(work, "reproduction", f"fig2_{d}_{k}.png")
        check(os.path.exists(png) and os.path.getsize(png) > 20000, f"fig2_{d}_{k}.png drawn by the app")
        if os.path.exists(png):
            shots[k] = Image.open(png).convert("L")
            check(shots[k].size[0] >= 800 and ImageStat.Stat(shots[k]).stddev[0] > 5,
                  f"fig2_{d}_{k}.png: {shots[k].size}, not blank")
    if "h0" in shots and "h1" in shots:
        # The same starts and noise, other h: the pictures must differ (the trajectories moved).
        diff = ImageStat.Stat(ImageChops.difference(shots["h0"], shots["h1"])).mean[0]
        check(diff > 2, f"fig2_{d}: h = 0 and h = 1 differ (mean |diff| {diff:.1f} grey levels)")
svg = ET.parse(os.path.join(work, "reproduction", "fig3.svg")).getroot()
check(len([p for p in svg.iter() if p.get("class") == "series"]) == 4, "fig3.svg: four series")
for stage in ("train_gauss25_simple", "table1_swissroll_cosine", "first_order_fd_gauss25_cosine",
              "sweep_swissroll_simple", "fig2_gauss25"):
    check(os.path.exists(os.path.join(work, "times", stage)), f"times/{stage} recorded")
if failures:
    sys.exit(f"{len(failures)} failed")
