#!/usr/bin/env bash
# Plots in seconds (issue 25): on the first picture (every default), W2(h) and NLL(h) get
# a first curve of at least 5 heights from their quick passes, and the curves CSV holds
# them; then the full curves replace them. How long it took is a benchmark line (the
# app's `stats`: first_w2_s, first_nll_s), not an assertion.
set -u
GL_SCREEN=1280x800x24
source "$(dirname "$0")/common.sh"
gl_begin "$@"
cat > plots.hbs <<SCRIPT
wait plots
export curves $out/first.csv
stats $out/stats.json
wait idle
quit
SCRIPT
"$hbar" --width 1280 --height 800 --script plots.hbs > stdout.txt 2> stderr.txt || { cat stderr.txt >&2; fail "the script failed"; }
$py - <<'PY' || fail "the first curves"
import csv, json
rows = list(csv.reader(open("first.csv")))[1:]
xs = {}
for r in rows:
    xs.setdefault(r[0], set()).add(float(r[1]))
w2 = max(len(xs.get(k, ())) for k in ("w2_quick_exact", "w2_exact"))
nll = len(xs.get("nll_exact", ()))
assert w2 >= 5, f"W2(h) has {w2} heights: {sorted(xs)}"
assert nll >= 5, f"NLL(h) has {nll} heights: {sorted(xs)}"
s = json.load(open("stats.json"))
assert s["first_w2_s"] > 0 and s["first_nll_s"] > 0, s
print(f"gl_plots: first W2(h) curve after {s['first_w2_s']:.1f} s ({w2} heights), "
      f"first NLL(h) curve after {s['first_nll_s']:.1f} s ({nll} heights) from the start (benchmark, 2000 particles x 500 steps)")
PY
echo "gl_plots: 1 passed, 0 failed"
