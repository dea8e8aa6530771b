#!/usr/bin/env bash
# A person at the real window: xdotool drags the h slider back and forth while the
# W2(h) sweep runs, ending at the right, and presses S. The S screenshot differs from
# the one before, where the trajectories are. The app's preview times during the drag
# (its `stats`) are printed, not asserted: speed is measured in benchmarks.
set -u
hbar=$1 png=$2 data=$3 out=$4
source "$(dirname "$0")/common.sh"
command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed" >&2; exit 77; }
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1
start_xvfb
cat > wait.hbs <<SCRIPT
wait idle
set play off
set frame end
wait 2
layout $out/layout.json
screenshot $out/before.png
stats clear
wait 9s
stats $out/drag_stats.json
SCRIPT
# --pace: 60 frames a second and background work niced, as a person's window runs.
"$hbar" --width 1600 --height 1000 --pace --script wait.hbs > stdout.txt 2> stderr.txt &
app=$!
trap 'kill $app 2>/dev/null; kill $xvfb_pid 2>/dev/null' EXIT
for _ in $(seq 600); do [ -s before.png ] && break; kill -0 $app 2>/dev/null || break; sleep 0.2; done
[ -s before.png ] || { cat stderr.txt >&2; fail "the app did not come up"; }
read -r x0 y0 x1 y1 < <(python3 -c 'import json; print(*json.load(open("layout.json"))["h_slider"])')
y=$(( (${y0%.*} + ${y1%.*}) / 2 ))
xa=$(( ${x0%.*} + 3 )); xb=$(( ${x1%.*} + 40 ))  # past the end: the value clamps at 1
win=$(xdotool search --sync --name '^hbar$' | head -1)
[ -n "$win" ] || fail "no hbar window found"
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
xdotool mousemove --window "$win" $xa $y
sleep 0.3
xdotool mousedown 1
# Right, left, right: 60 moves, ~5 s of dragging with the sweep running behind.
for k in $(seq 1 20) $(seq 19 -1 0) $(seq 1 20); do
  xdotool mousemove --window "$win" $(( xa + (xb - xa) * k / 20 )) $y; sleep 0.08
done
sleep 0.5  # a hand rests before letting go; the app reads the pointer once a frame
xdotool mouseup 1
sleep 1
xdotool mousemove --window "$win" 900 300
sleep 0.3
xdotool key s
shot=""
for _ in $(seq 100); do shot=$(ls exports/*_window.png 2>/dev/null | head -1); [ -n "$shot" ] && break; sleep 0.1; done
[ -n "$shot" ] || { cat stderr.txt >&2; fail "pressing S saved no screenshot"; }
case "$shot" in *_h1.00_window.png|*_h0.9[0-9]_window.png) ;; *) fail "after the drag h should be about 1, screenshot is $shot" ;; esac
d=$("$png" before.png "$shot" $(canvas_crop layout.json))
awk -v d="$d" 'BEGIN { exit !(d > 0.02) }' || fail "the screenshot after the drag equals the one before (diff $d)"
for _ in $(seq 100); do [ -s drag_stats.json ] && break; sleep 0.1; done
[ -s drag_stats.json ] || fail "no stats after the drag"
echo "gl_xdotool: preview while dragging with the sweep running: $(cat drag_stats.json)"
echo "gl_xdotool: dragged h to $(basename "$shot"), canvas differs by $d"
echo "gl_xdotool: 1 passed, 0 failed"
