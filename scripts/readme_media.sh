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
  for f in "$root"/assets/*.hbs; do case "$(basename "$f")" in bench_*) ;; *) scripts+=("$f") ;; esac; done
fi
run_app() {
  if [ -n "${DISPLAY:-}" ]; then "$app" --width 1600 --height 1000 --script "$1"
  else xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --width 1600 --height 1000 --script "$1"; fi
}
cd "$root"  # the scripts name their outputs from the repository root
for f in "${scripts[@]}"; do
  echo "readme_media.sh: $(basename "$f")" >&2
  start=$SECONDS
  run_app "$f"
  echo "readme_media.sh: $(basename "$f") done in $((SECONDS - start)) s" >&2
done
