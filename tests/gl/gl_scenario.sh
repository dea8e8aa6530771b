#!/usr/bin/env bash
# The real app under Xvfb runs a scenario: a bad CSV, a good CSV, h = 0 and h = 1,
# PNG and CSV exports. Then: files exist, the PNG has the window's size and is not
# blank, h = 0 and h = 1 differ on the canvas, the bad CSV left its error, exit 0.
set -u
hbar=$1 png=$2 data=$3 out=$4
source "$(dirname "$0")/common.sh"
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1
start_xvfb
cat > scenario.hbs <<SCRIPT
# bad file first: its error must show, and the app goes on
load $data/bad_not_number.csv
wait idle
screenshot $out/bad.png
load $out/good.csv
wait idle
layout $out/layout.json
set frame end
wait 2
screenshot $out/h0.png
set h 1
wait idle
set frame end
set heat path
wait idle
screenshot $out/h1.png
export samples $out/samples.csv
export trajectories $out/traj.csv
export heatmap $out/heat.csv
frobnicate
quit
SCRIPT
# A good user file: a ring of 400 points.
awk 'BEGIN { print "x,y"; for (i = 0; i < 400; i++) { a = 6.283185 * i / 400; printf "%.6f,%.6f\n", 1.5*cos(a), 1.5*sin(a) } }' > good.csv
timeout 300 "$hbar" --width 1600 --height 1000 --script scenario.hbs > stdout.txt 2> stderr.txt
rc=$?
cat stderr.txt >&2
[ $rc -eq 0 ] || fail "hbar exited $rc"
grep -q "bad_not_number.csv:3: not a number in column 2: 'abc'" stderr.txt || fail "the bad CSV's error was not shown"
grep -q "scenario.hbs:20: unknown command 'frobnicate'" stderr.txt || fail "unknown command not reported with its line"
for f in bad.png h0.png h1.png samples.csv traj.csv heat.csv; do [ -s "$f" ] || fail "$f missing"; done
[ "$(head -1 samples.csv)" = "x,y" ] || fail "samples.csv header"
[ "$(wc -l < samples.csv)" -eq 2001 ] || fail "samples.csv should hold 2000 particles"
[ "$(head -1 traj.csv)" = "particle,step,t,x,y" ] || fail "traj.csv header"
[ "$(head -1 heat.csv)" = "x,y,value" ] || fail "heat.csv header"
read -r w h colours < <("$png" h1.png)
[ "$w" = 1600 ] && [ "$h" = 1000 ] || fail "PNG is ${w}x${h}, expected the window's 1600x1000"
[ "$colours" -gt 500 ] || fail "PNG looks blank ($colours colours)"
# The canvas, where the app's layout says it is.
d=$("$png" h0.png h1.png $(canvas_crop layout.json))
awk -v d="$d" 'BEGIN { exit !(d > 0.02) }' || fail "h = 0 and h = 1 look the same on the canvas (diff $d)"
ls -1A | grep -q 'hbar-tmp-' && fail "a temporary file was left behind"
echo "gl_scenario: canvas differs by $d between h = 0 and h = 1"
echo "gl_scenario: 1 passed, 0 failed"
