#!/usr/bin/env bash
# The installed package: `cmake --install` into a temporary prefix, the prefix moved
# elsewhere, the installed hbar run under Xvfb from another directory (its shipped model
# found relative to the executable: no source or build path is compiled in), its
# screenshot checked; hbar-cli from the moved prefix too; and the .deb's file list.
# Arguments as every gl test, then the build tree.
set -u
source "$(dirname "$0")/common.sh"
build=$7
gl_begin "$@"
cmake --install "$build" --prefix "$out/first" > install.log 2>&1 || { cat install.log >&2; fail "cmake --install"; }
mv "$out/first" "$out/moved"
prefix="$out/moved"
for f in bin/hbar bin/hbar-cli bin/hbar-plot share/hbar/models/swissroll_simple.hbm share/hbar/examples/pinwheel_500.csv \
         share/applications/hbar.desktop share/icons/hicolor/scalable/apps/hbar.svg share/doc/hbar/README.md; do
  [ -e "$prefix/$f" ] || fail "the prefix has no $f"
done
# Nothing of the source or build tree is named in the programs.
for exe in hbar hbar-cli hbar-plot; do
  if grep -q -a -F "$build" "$prefix/bin/$exe" || grep -q -a -F "$(cd "$data/../.." && pwd)/assets" "$prefix/bin/$exe"; then
    fail "bin/$exe names the build or source tree"
  fi
done
mkdir -p elsewhere && cd elsewhere
# Keep the build tree's links out of reach: the programs must find share/hbar beside themselves.
unset HBAR_DATA_DIR HBAR_MODELS_DIR
"$prefix/bin/hbar-cli" sample --data swissroll --score paper --n 50 --steps 20 --json > cli.json 2> cli.err ||
  { cat cli.err >&2; fail "the installed hbar-cli with the shipped model"; }
grep -q '"score": "learned MLP 128x3 (swissroll, simple, 80000 steps)"' cli.json || { cat cli.json >&2; fail "hbar-cli did not load the shipped model"; }
printf 'set score learned\nwait idle\nset play off\nset frame end\nwait 3\nscreenshot shot.png\nquit\n' > learned.hbs
timeout 300 "$prefix/bin/hbar" --data swissroll --script learned.hbs > app.out 2> app.err ||
  { cat app.err >&2; fail "the installed hbar"; }
[ -s shot.png ] || { cat app.err >&2; fail "no screenshot from the installed hbar"; }
grep -qi "error\|failed" app.err && { cat app.err >&2; fail "the installed hbar reported an error"; }
$py - <<'PY' || fail "the installed app's screenshot"
from PIL import Image
im = Image.open("shot.png").convert("RGB")
w, h = im.size
px = im.load()
# The run's particles (orange) on the canvas, right of the sidebar.
n = sum(1 for x in range(345, w - 5, 2) for y in range(5, h - 290, 2)
        if px[x, y][0] > 200 and 80 < px[x, y][1] < 160 and px[x, y][2] < 110)
assert n > 300, f"only {n} orange pixels: no run of the learned model on the canvas"
print(f"installed hbar: {w} x {h}, {n} particle pixels (every second pixel)")
PY
cd "$out"
# The .deb: the same files under /usr, dependencies from the linked libraries.
if command -v cpack >/dev/null && command -v dpkg-deb >/dev/null; then
  (cd "$build" && cpack -G DEB -B "$out/deb" > "$out/cpack.log" 2>&1) || { cat cpack.log >&2; fail "cpack -G DEB"; }
  deb=$(ls "$out"/deb/hbar_*.deb | head -1)
  [ -n "$deb" ] || fail "cpack wrote no .deb"
  dpkg-deb -c "$deb" > deb_files.txt
  for f in ./usr/bin/hbar ./usr/bin/hbar-cli ./usr/bin/hbar-plot ./usr/share/hbar/models/gauss25_cosine.hbm \
           ./usr/share/applications/hbar.desktop ./usr/share/icons/hicolor/scalable/apps/hbar.svg; do
    grep -q " $f\$" deb_files.txt || { cat deb_files.txt >&2; fail "the .deb has no $f"; }
  done
  depends=$(dpkg-deb -f "$deb" Depends)
  for p in libglfw3 libgomp1 libstdc++6 fonts-dejavu-core; do
    echo "$depends" | grep -q "$p" || fail "the .deb does not depend on $p: $depends"
  done
  echo "deb: $(basename "$deb"), $(wc -l < deb_files.txt) entries; Depends: $depends"
fi
echo "PASS: installed, moved, run from elsewhere"
