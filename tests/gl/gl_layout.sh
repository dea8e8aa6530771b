#!/usr/bin/env bash
# A layout that fits (issue 25): at 1280×800 and at 1024×768 every rectangle the `layout`
# command reports (each as x0, y0, x1, y1) lies inside the window, and the main controls
# — the h slider, the h(t) editor, the step scrubber — are drawn without scrolling.
set -u
GL_SCREEN=1280x800x24
source "$(dirname "$0")/common.sh"
gl_begin "$@"
for size in 1280x800 1024x768; do
  w=${size%x*} h=${size#*x}
  cat > layout.hbs <<SCRIPT
wait idle
layout $out/layout_$size.json
screenshot $out/window_$size.png
quit
SCRIPT
  "$hbar" --width "$w" --height "$h" --script layout.hbs > "out_$size.txt" 2> "err_$size.txt" ||
    { cat "err_$size.txt" >&2; fail "the app failed at $size"; }
  $py - "layout_$size.json" "$w" "$h" <<'PY' || fail "the layout at $size"
import json, sys
L = json.load(open(sys.argv[1])); W, H = int(sys.argv[2]), int(sys.argv[3])
assert L["window"] == [W, H], (L["window"], W, H)
rects = {k: v for k, v in L.items() if isinstance(v, list) and len(v) == 4 and k not in ("camera",)}
drawn = {k: r for k, r in rects.items() if r[2] > r[0] and r[3] > r[1]}
for k in ("canvas", "h_slider", "h_editor", "scrubber"):
    assert k in drawn, f"{k} was not drawn: {rects[k]}"
for k, (x0, y0, x1, y1) in drawn.items():
    assert 0 <= x0 < x1 <= W and 0 <= y0 < y1 <= H, f"{k} = {[x0, y0, x1, y1]} leaves the {W}x{H} window"
print(f"gl_layout {W}x{H}: " + ", ".join(f"{k} {[round(v) for v in r]}" for k, r in sorted(drawn.items())))
PY
done
echo "gl_layout: 1 passed, 0 failed"
