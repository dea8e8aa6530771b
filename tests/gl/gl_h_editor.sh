#!/usr/bin/env bash
# A person at the real window edits the noise schedule h(t): with a window [0.1, 0.4]
# on, xdotool drags its right edge in the h(t) editor to t = 0.7 and then its body
# 0.05 to the left. The session saved afterwards holds the new window (to a pixel's worth of t),
# and the canvas differs from before (the run follows the schedule).
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
cat > edit.hbs <<SCRIPT
set h 0.6
set h-window 0.1 0.4
wait idle
set play off
set frame end
wait 2
layout $out/layout.json
screenshot $out/before.png
wait 10s
wait idle
session save $out/after.json
screenshot $out/after.png
quit
SCRIPT
launch_app app --width 1600 --height 1000 --script edit.hbs
wait_for_file before.png app.err "the app did not come up"
read -r x0 y0 x1 y1 t0 t1 < <($py -c 'import json; l = json.load(open("layout.json")); print(*l["h_editor"], *l["h_editor_t"])')
[ "${x1%.*}" -gt "${x0%.*}" ] || fail "no h(t) editor in the layout: $(cat layout.json)"
px() { $py -c "import sys; x0, x1, t0, t1, t = map(float, sys.argv[1:]); print(int(round(x0 + (t - t0) / (t1 - t0) * (x1 - x0))))" "$x0" "$x1" "$t0" "$t1" "$1"; }
y=$(( (${y0%.*} + ${y1%.*}) / 2 ))
focus_hbar
drag_x "$(px 0.4)" "$(px 0.7)" $y             # the right edge: [0.1, 0.4] -> [0.1, 0.7]
drag_x "$(px 0.3)" "$(px 0.25)" $y            # the body, 0.05 to the left: [0.05, 0.65]
xdotool mousemove --window "$win" 900 300
wait_for_file after.json app.err "no session after the drag"
wait_for_file after.png app.err "no screenshot after the drag"
# One pixel of the strip is (t1 - t0) / width of t; allow two.
$py - "$x0" "$x1" "$t0" "$t1" <<'PY' || fail "the window after the drags is wrong"
import json, sys
x0, x1, t0, t1 = map(float, sys.argv[1:])
tol = 2.0 * (t1 - t0) / (x1 - x0)
s = json.load(open("after.json"))["settings"]
assert s["h-schedule"] == "window", s["h-schedule"]
a, b = map(float, s["h-window"].split(":"))
shift = 0.05  # the body drag moved the window left by this much
print(f"gl_h_editor: window after the drags [{a:.4f}, {b:.4f}], expected [{0.1 - shift:.4f}, {0.7 - shift:.4f}] (± {tol:.4f})")
assert abs((b - a) - 0.6) < tol, (a, b)
assert abs(a - (0.1 - shift)) < tol, (a, b)
PY
d=$("$png" before.png after.png $(canvas_crop layout.json))
awk -v d="$d" 'BEGIN { exit !(d > 0.01) }' || fail "the canvas did not change with the schedule (diff $d)"
echo "gl_h_editor: canvas differs by $d"
echo "gl_h_editor: 1 passed, 0 failed"
