#!/usr/bin/env python3
"""The shipped networks (assets/models): each loads through hbar-cli (checksum verified),
its header names its data set, schedule and the paper's training, `--score paper` finds
it, and a 400-point Table-1 row on a held-out draw the report did not use lands within
3 combined standard errors of the report's row (docs/reproduction/table1.json).

3 standard errors: the two rows are independent estimates (different draws) of the same
mean, each with the standard error over its batches (the report's 100, ours 40 of 10
points: 1.6 times the report's, the size of the check bought with 40 % of the time);
|a - b| > 3 sqrt(se_a² + se_b²) has probability 0.3 % for a correct model. Fixed seeds
make the test deterministic.

usage: check_models.py HBAR_CLI MODELS_DIR REPORT_TABLE1_JSON WORK_DIR
"""
import json
import math
import os
import subprocess
import sys

cli, models, table_json, work = sys.argv[1:5]
os.makedirs(work, exist_ok=True)
report = json.load(open(table_json))
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(args):
    p = subprocess.run([cli] + args, capture_output=True, text=True)
    if p.returncode != 0:
        raise SystemExit(f"hbar-cli {' '.join(args)} exited {p.returncode}: {p.stderr.strip()}")
    return json.loads(p.stdout)


for data in ("swissroll", "gauss25"):
    held = os.path.join(work, f"heldout_{data}.csv")
    # seed 7: not the report's draw (seed 0)
    subprocess.run([cli, "data", "--data", data, "--n", "400", "--heldout", "--seed", "7", "--out", held],
                   check=True, capture_output=True)
    for sched in ("simple", "cosine"):
        path = os.path.join(models, f"{data}_{sched}.hbm")
        head = {}
        with open(path, "rb") as f:
            for raw in f:
                line = raw.decode("ascii", "replace").strip()
                if line.startswith("params"):
                    break
                k, _, v = line.partition(" ")
                head[k] = v
        check(head.get("data") == data and head.get("schedule") == sched,
              f"{path}: header says data {head.get('data')}, schedule {head.get('schedule')}")
        check(head.get("width") == "128" and head.get("depth") == "3" and head.get("steps") == "80000"
              and head.get("batch") == "512" and head.get("seed") == "1",
              f"{path}: the paper's training (128 x 3, 80000 steps, batch 512, seed 1): {head}")
        # --score paper resolves to the same file: the same numbers on the same points.
        a = run(["nll", "--data", data, "--schedule", sched, "--score", path, "--n", "20", "--first-order", "none",
                 "--json"])
        b = run(["nll", "--data", data, "--schedule", sched, "--score", "paper", "--n", "20", "--first-order",
                 "none", "--json"])
        check(a["nll0_mean"] == b["nll0_mean"], f"{data} {sched}: --score paper is {path}")
        mine = run(["table1", "--data", data, "--schedule", sched, "--score", path, "--eval-file", held,
                    "--batches", "40", "--first-order", "exact", "--json"])
        ref = report[f"{data}_{sched}"]
        for key in ("nll", "corr"):
            tol = 3 * math.hypot(ref[f"{key}_sem"], mine[f"{key}_sem"])
            diff = mine[f"{key}_mean"] - ref[f"{key}_mean"]
            check(abs(diff) <= tol, f"{data} {sched} {key}: {mine[f'{key}_mean']:.4f} on a new draw vs "
                                    f"{ref[f'{key}_mean']:.4f} in the report (|diff| {abs(diff):.4f} <= {tol:.4f})")
if failures:
    sys.exit(f"{len(failures)} failed")
