#!/usr/bin/env bash
# Makes the pictures of README.md and docs/ again with hbar itself: each assets/*.hbs
# script (except the benchmarks, bench_*.hbs) drives the app and writes its PNG or GIF
# into assets/. Usage: scripts/readme_media.sh [NAME…]   (default: all; NAME as in
# assets/readme_NAME.hbs or the script's file name). Under Xvfb when there is no display.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
app="$root/build/app/gui/hbar"
[ -x "$app" ] || { echo "readme_media.sh: build the app first (scripts/run.sh)" >&2; exit 2; }
scripts=()
if (($#)); then
  for n in "$@"; do
    f="$root/assets/readme_$n.hbs"; [ -f "$f" ] || f="$root/assets/$n"; [ -f "$f" ] || f="$root/assets/$n.hbs"
    [ -f "$f" ] || { echo "readme_media.sh: no script for '$n'" >&2; exit 2; }
    scripts+=("$f")
  done
else
  # Not the benchmarks, nor the tour itself (it waits for a key: readme_tour*.hbs drive it).
  for f in "$root"/assets/*.hbs; do case "$(basename "$f")" in bench_*|tour.hbs) ;; *) scripts+=("$f") ;; esac; done
fi
# A script may name its window's size in a line "# size: WxH" (default 1600x1000).
run_app() {
  local size w h
  size=$(sed -n 's/^# size: \([0-9]*x[0-9]*\)$/\1/p' "$1" | head -1)
  size=${size:-1600x1000}
  w=${size%x*} h=${size#*x}
  if [ -n "${DISPLAY:-}" ]; then "$app" --width "$w" --height "$h" --script "$1"
  else xvfb-run -a -s "-screen 0 ${w}x${h}x24" "$app" --width "$w" --height "$h" --script "$1"; fi
}
cd "$root"  # the scripts name their outputs from the repository root
for f in "${scripts[@]}"; do
  echo "readme_media.sh: $(basename "$f")" >&2
  start=$SECONDS
  run_app "$f"
  echo "readme_media.sh: $(basename "$f") done in $((SECONDS - start)) s" >&2
done
