#!/usr/bin/env bash
# Figures (issue 11): the light theme is light on the canvas too; a 2x canvas PNG has
# twice the pixels each way (4x with a transparent background has alpha 0 where
# nothing is drawn); the plots as SVG parse as XML with one path per series, the
# same series the curves CSV holds.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
cat > fig.hbs <<SCRIPT
set theme light
set particles 800
set steps 200
wait sweep
set play off
set frame end
wait 3
screenshot canvas $out/c1.png
screenshot canvas $out/c2.png x2
screenshot canvas $out/c4t.png x4 transparent
export plot w2 $out/w2.svg
export plot toy $out/toy.svg
export curves $out/curves.csv
quit
SCRIPT
"$hbar" --script fig.hbs > stdout.txt 2> stderr.txt || { cat stderr.txt >&2; fail "the figure script failed"; }
$py - <<'PY' || fail "figures"
import csv, xml.etree.ElementTree as ET
from PIL import Image
c1, c2, c4 = Image.open("c1.png"), Image.open("c2.png"), Image.open("c4t.png")
assert c2.size == (2 * c1.size[0], 2 * c1.size[1]), (c1.size, c2.size)
assert c4.size == (4 * c1.size[0], 4 * c1.size[1]), (c1.size, c4.size)
# Light theme: the canvas's corners are white (not the dark grey of old).
rgb = c1.convert("RGB")
for p in [(5, 60), (c1.size[0] - 5, c1.size[1] - 5)]:
    assert min(rgb.getpixel(p)) > 240, ("corner", p, rgb.getpixel(p))
a = c4.getchannel("A")
lo, hi = a.getextrema()
assert lo == 0 and hi == 255, ("transparent PNG alpha range", lo, hi)
clear = sum(1 for v in a.getdata() if v == 0) / (c4.size[0] * c4.size[1])
assert clear > 0.2, f"only {clear:.2f} of the transparent PNG is clear"
series = {}
for r in csv.DictReader(open("curves.csv")):
    series.setdefault(r["series"], 0)
    series[r["series"]] += 1
ns = {"s": "http://www.w3.org/2000/svg"}
for f, group in (("w2.svg", "w2_"), ("toy.svg", "toy_")):
    root = ET.parse(f).getroot()
    paths = [p for p in root.iter("{http://www.w3.org/2000/svg}path") if p.get("class") == "series"]
    ids = sorted(p.get("id") for p in paths)
    want = sorted(k for k in series if k.startswith(group))
    assert ids == want, (f, ids, want)
    texts = [t.text for t in root.iter("{http://www.w3.org/2000/svg}text")]
    assert any(t and t.startswith("W2(h)") or t and t.startswith("1-D toy") for t in texts), texts[:5]
    for p in paths:  # as many vertices as the series has points
        assert p.get("d").count("L") + 1 == series[p.get("id")], (p.get("id"), p.get("d")[:80])
print(f"gl_figures: 2x {c2.size}, 4x transparent {c4.size} ({clear:.2f} clear); SVG series {sorted(series)}")
PY
echo "gl_figures: 1 passed, 0 failed"
