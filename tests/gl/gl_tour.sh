#!/usr/bin/env bash
# The lecture tour as a person runs it: the real window, `tour start` (the Tour button's
# command), and xdotool pressing Space to go from step 1 to step 2; the `layout` file
# says the tour's words and whether it waits. Then what the tour's pictures need: a
# canvas PNG with its colour bar, legend and caption (`annotate`), the same canvas bare,
# and a `record`ed GIF of the canvas, decoded.
set -u
source "$(dirname "$0")/common.sh"
GL_SCREEN=1280x800x24 gl_begin "$@"
cat > drive.hbs <<SCRIPT
set anim-width 320
set anim-height 200
tour start
wait tour
layout $out/l1.json
wait 8s
wait tour
layout $out/l2.json
set play off
wait 2
screenshot canvas $out/annotated.png x2
set annotate off
screenshot canvas $out/bare.png x2
set annotate on
record $out/rec.gif 5
wait 2s
record stop
tour stop
wait 2
layout $out/l3.json
quit
SCRIPT
launch_app app --width 1280 --height 800 --script drive.hbs
wait_for_file l1.json app.err "the tour's first step never waited for its key"
focus_hbar
xdotool key space
wait "$app" || { cat app.err >&2; fail "the app failed"; }
grep -i 'failed\|unknown' app.err && fail "the app reported a failure (above)"
$py - "$out" <<'PY' || fail "see above"
import json, sys
from PIL import Image
out = sys.argv[1]
def tour(n):
    return json.load(open(f"{out}/l{n}.json"))
ok = True
def check(cond, what):
    global ok
    print(("ok: " if cond else "FAIL: ") + what)
    ok &= bool(cond)
l1, l2, l3 = tour(1), tour(2), tour(3)
check(l1["tour"]["running"] and l1["tour"]["waiting"], "step 1 waits for its key")
check(l1["tour"]["caption"].startswith("1/7"), "step 1's words: " + l1["tour"]["caption"][:40])
check(l1["h"] == 0, "step 1 at h = 0")
check(l2["tour"]["caption"].startswith("2/7"), "Space went on to step 2: " + l2["tour"]["caption"][:40])
check(l2["h"] == 1, "step 2 at h = 1")
check(not l3["tour"]["running"] and l3["tour"]["caption"] == "", "tour stop ends it and clears its words")

# Annotated against bare: the same frame (playback paused), so the pixels differ only
# where the annotations are: the colour bar (top right), the legend (bottom left), the
# caption (top left) and the tour's words (bottom); the middle is the same.
a = Image.open(f"{out}/annotated.png").convert("RGB")
b = Image.open(f"{out}/bare.png").convert("RGB")
check(a.size == b.size and a.size[0] > 1000, f"both 2x canvases, {a.size}")
W, H = a.size
def diff(box):
    pa, pb = a.crop(box).getdata(), b.crop(box).getdata()
    return sum(1 for p, q in zip(pa, pb) if max(abs(x - y) for x, y in zip(p, q)) > 30) / len(pa)
bar = diff((int(W * 0.86), 0, W, int(H * 0.4)))
legend = diff((0, int(H * 0.9), int(W * 0.2), H))
caption = diff((0, 0, int(W * 0.3), int(H * 0.06)))
middle = diff((int(W * 0.3), int(H * 0.2), int(W * 0.7), int(H * 0.6)))
check(bar > 0.05, f"the colour bar is in the annotated PNG ({bar:.3f} of its corner differs)")
check(legend > 0.05, f"the legend is in it ({legend:.3f})")
check(caption > 0.05, f"the caption is in it ({caption:.3f})")
check(middle < 0.001, f"the rest is the same canvas ({middle:.4f} differs)")
# The bar holds the time colours, both ends: viridis's purple (t = 1) and yellow (t = 0).
corner = a.crop((int(W * 0.86), 0, W, int(H * 0.4))).getdata()
near = lambda p, c: max(abs(x - y) for x, y in zip(p, c)) < 40
check(any(near(p, (68, 1, 84)) for p in corner) and any(near(p, (253, 231, 37)) for p in corner),
      "the colour bar runs from viridis purple to yellow")

# The offscreen paths keep their time colours (they were drawn black: the colour map's
# unit held the new accumulation target after every resize).
mid = a.crop((int(W * 0.3), int(H * 0.2), int(W * 0.7), int(H * 0.6))).getdata()
coloured = sum(1 for r, g_, b_ in mid if r < 110 and max(g_, b_) > 70) / len(mid)
check(coloured > 0.01, f"the 2x canvas's paths are in colour ({coloured:.3f} of the middle)")

g = Image.open(f"{out}/rec.gif")
check(g.size == (320, 200), f"the recording is anim-width x anim-height: {g.size}")
check(5 <= g.n_frames <= 40, f"2 s at 5 frames a second: {g.n_frames} frames")
sys.exit(0 if ok else 1)
PY
echo "gl_tour: 1 passed, 0 failed"
