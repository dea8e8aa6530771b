#!/usr/bin/env bash
# Data drawn by hand (issue 11). Scripted: `draw add` three blobs on an empty canvas,
# the exact empirical score's samples land on them; `draw erase` removes a blob and
# `undo` brings it back (the exported data counts them). Then a person with the real
# mouse: xdotool draws a stroke with the brush, and the exported data lies along it.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
cat > draw.hbs <<SCRIPT
draw clear
draw add -1.5 0 0.3 150
draw add 1.5 0 0.3 150
draw add 0 1.5 0.3 100
wait idle
set play off
set frame end
export data $out/drawn.csv
export samples $out/samples.csv
screenshot canvas $out/drawn.png
draw erase 0 1.5 0.6
wait idle
export data $out/erased.csv
undo
wait idle
export data $out/undone.csv
redo
export data $out/redone.csv
quit
SCRIPT
"$hbar" --script draw.hbs > stdout.txt 2> stderr.txt || { cat stderr.txt >&2; fail "the draw script failed"; }
for f in drawn samples erased undone redone; do [ -s $f.csv ] || { cat stderr.txt >&2; fail "no $f.csv"; }; done
$py - <<'PY' || fail "drawn data"
import csv, math, sys
def pts(f):
    r = list(csv.reader(open(f)))[1:]
    return [(float(a), float(b)) for a, b in r]
blobs = [(-1.5, 0, 150), (1.5, 0, 150), (0, 1.5, 100)]
d = pts("drawn.csv")
assert len(d) == 400, len(d)
for cx, cy, n in blobs:  # each point of a blob within its radius 0.3
    k = sum(1 for x, y in d if math.hypot(x - cx, y - cy) <= 0.3 + 1e-12)
    assert k == n, (cx, cy, k, n)
# The exact empirical score at h = 0 carries every sample onto the data: each ends
# near a drawn point (Euler with 500 steps leaves a median 0.02 and a maximum ~0.1
# off; 0.15 allows for that, and is half the gap between blobs' edges and more).
s = pts("samples.csv")
near = lambda p: min(math.hypot(p[0] - x, p[1] - y) for x, y in d)
far = [p for p in s if near(p) > 0.15]
assert len(s) == 2000 and not far, (len(s), far[:3])
# Share of samples per blob near its share of the data (binomial, 2000 draws: sd <= 0.011;
# 0.05 is over 4 sd).
for cx, cy, n in blobs:
    k = sum(1 for x, y in s if math.hypot(x - cx, y - cy) <= 0.45)
    assert abs(k / 2000 - n / 400) < 0.05, (cx, cy, k)
e = pts("erased.csv")
assert len(e) == 300 and all(math.hypot(x, y - 1.5) > 0.6 for x, y in e), len(e)
assert pts("undone.csv") == d, "undo did not restore the erased points"
assert pts("redone.csv") == e, "redo did not erase them again"
print("gl_draw: drawn 400 points in 3 blobs, 2000 samples on them, erase 100, undo and redo exact")
PY

# The real mouse: a stroke from 25 % to 75 % of the canvas width, through its middle.
rm -f layout.json stroke.csv
cat > stroke.hbs <<SCRIPT
draw clear
set tool brush
set brush-radius 0.2
set brush-rate 300
wait 30
layout $out/layout.json
stats clear
wait 6s
stats $out/draw_stats.json
wait 6s
export data $out/stroke.csv
quit
SCRIPT
launch_app stroke --width 1600 --height 1000 --script stroke.hbs
wait_for_file layout.json stroke.err "the app did not come up"
read -r xa xb y < <($py -c 'import json; x0,y0,x1,y1 = json.load(open("layout.json"))["canvas"]; print(int(x0+(x1-x0)*0.25), int(x0+(x1-x0)*0.75), int((y0+y1)/2))')
focus_hbar
xdotool mousemove --window "$win" $xa $y
sleep 0.3
xdotool mousedown 1
for k in $(seq 1 30); do xdotool mousemove --window "$win" $(( xa + (xb - xa) * k / 30 )) $y; sleep 0.07; done
sleep 0.2
xdotool mouseup 1
wait $app || { cat stroke.err >&2; fail "the stroke run failed"; }
[ -s stroke.csv ] || { cat stroke.err >&2; fail "no stroke.csv"; }
$py - "$xa" "$xb" "$y" <<'PY' || fail "the stroke's points"
import csv, json, sys
xa, xb, y = map(float, sys.argv[1:4])
L = json.load(open("layout.json"))
cx, cy, cx1, cy1 = L["canvas"]; cw, ch = cx1 - cx, cy1 - cy; camx, camy, scale = L["camera"]
wx = lambda px: camx + (px - (cx + cw / 2)) * scale
wy = lambda py: camy - (py - (cy + ch / 2)) * scale
x0, x1, y0 = wx(xa), wx(xb), wy(y)
p = [(float(a), float(b)) for a, b in list(csv.reader(open("stroke.csv")))[1:]]
assert len(p) >= 50, f"only {len(p)} points from a ~2 s stroke at 300 points/s"
# Every point within the brush (0.2) of the stroke's segment (plus a pixel or two).
slack = 0.2 + 3 * scale
off = [q for q in p if abs(q[1] - y0) > slack or q[0] < x0 - slack or q[0] > x1 + slack]
assert not off, off[:3]
# And the points cover the stroke: each fifth of it holds some.
for k in range(5):
    a, b = x0 + (x1 - x0) * k / 5, x0 + (x1 - x0) * (k + 1) / 5
    assert any(a <= q[0] <= b for q in p), f"no points in fifth {k} of the stroke"
print(f"gl_draw: a mouse stroke from x = {x0:.2f} to {x1:.2f} at y = {y0:.2f} added {len(p)} points along it")
PY
echo "gl_draw: frame times while drawing (last 120 frames): $(cat draw_stats.json)"
echo "gl_draw: 2 passed, 0 failed"
