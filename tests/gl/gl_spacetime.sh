#!/usr/bin/env bash
# The space-time canvas in the real window (issue 12, part 6): the scene's paths over the
# projected density with the h(t) strip on the canvas's own time axis. xdotool drags the
# window's right edge in that strip from t = 0.4 to 0.7: the saved session holds the new
# window (to two pixels' worth of t) and the canvas follows. A 2x print-ready figure of
# the space-time canvas is drawn offscreen; the toy model's space-time differs from the scene's.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
cat > st.hbs <<SCRIPT
set canvas spacetime
set spacetime-angle 30
set h 0.6
set h-window 0.1 0.4
wait idle
set play off
set frame end
wait 2
layout $out/layout.json
screenshot $out/before.png
screenshot canvas $out/figure.png x2
wait 10s
wait idle
session save $out/after.json
screenshot $out/after.png
set spacetime-of toy
wait idle
wait 2
screenshot $out/toy.png
quit
SCRIPT
launch_app app --width 1600 --height 1000 --script st.hbs
wait_for_file before.png app.err "the app did not come up"
read -r shown x0 y0 x1 y1 t0 t1 < <($py -c 'import json; l = json.load(open("layout.json")); print(int(l["spacetime"]), *l["spacetime_strip"], *l["spacetime_t"])')
[ "$shown" = 1 ] || fail "the canvas does not show space-time: $(cat layout.json)"
[ "${x1%.*}" -gt "${x0%.*}" ] || fail "no h(t) strip under the space-time canvas: $(cat layout.json)"
px() { $py -c "import sys; x0, x1, t0, t1, t = map(float, sys.argv[1:]); print(int(round(x0 + (t - t0) / (t1 - t0) * (x1 - x0))))" "$x0" "$x1" "$t0" "$t1" "$1"; }
y=$(( (${y0%.*} + ${y1%.*}) / 2 ))
# The 2x figure takes a long frame: drag once it is written (a press and the moves that
# fall into one frame would be seen at the end of the drag, off the edge).
wait_for_file figure.png app.err "no figure"
sleep 1
focus_hbar
drag_x "$(px 0.4)" "$(px 0.7)" $y             # the right edge: [0.1, 0.4] -> [0.1, 0.7]
xdotool mousemove --window "$win" 900 300
wait_for_file after.json app.err "no session after the drag"
wait_for_file toy.png app.err "no screenshot of the toy model"
$py - "$x0" "$x1" "$t0" "$t1" <<'PY' || fail "the window after the drag is wrong"
import json, sys
x0, x1, t0, t1 = map(float, sys.argv[1:])
tol = 2.0 * (t1 - t0) / (x1 - x0)
j = json.load(open("after.json"))
s, v = j["settings"], j["view"]
assert v["canvas"] == "spacetime" and v["spacetime-angle"] == 30, v
a, b = map(float, s["h-window"].split(":"))
print(f"gl_spacetime: window after the drag [{a:.4f}, {b:.4f}], expected [0.1, 0.7] (± {tol:.4f})")
assert abs(a - 0.1) < 1e-9 and abs(b - 0.7) < tol, (a, b)
PY
# The print-ready figure: twice the canvas, drawn offscreen with the density and the paths
# (the area filling it).
read -r cw ch < <($py -c 'import json; l = json.load(open("layout.json")); c = l["canvas"]; print(int(c[2] - c[0]), int(c[3] - c[1]))')
read -r fw fh fc < <("$png" figure.png)
[ "$fw" = $((2 * cw)) ] && [ "$fh" = $((2 * ch)) ] || fail "figure.png is ${fw}x${fh}, not twice the canvas ${cw}x${ch}"
[ "$fc" -gt 1000 ] || fail "figure.png has only $fc colours (no density or paths?)"
d=$("$png" before.png after.png $(canvas_crop layout.json))
awk -v d="$d" 'BEGIN { exit !(d > 0.01) }' || fail "the canvas did not follow the schedule (diff $d)"
e=$("$png" after.png toy.png $(canvas_crop layout.json))
awk -v d="$e" 'BEGIN { exit !(d > 0.05) }' || fail "the toy model's space-time looks like the scene's (diff $e)"
echo "gl_spacetime: canvas follows the drag by $d, toy differs by $e, figure ${fw}x${fh} with $fc colours"
echo "gl_spacetime: 1 passed, 0 failed"
