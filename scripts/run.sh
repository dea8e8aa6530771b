#!/usr/bin/env bash
# Installs what is missing, builds (Release) and runs the desktop app hbar.
# On a machine with no display it runs hbar under Xvfb for a few seconds, writes a
# screenshot and says where. Arguments are passed to hbar (see README).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$here/setup.sh" all
configure_tree "$root/build" "${release_args[@]}"
cmake --build "$root/build" -j "$jobs" --target "${app_targets[@]}"

app="$root/build/app/gui/hbar"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$app" "$@"
fi
mkdir -p "$root/exports"
shot="$root/exports/hbar_first_run.png"
echo "run.sh: no display here; running hbar under Xvfb until its first run is complete" >&2
xvfb-run -a -s "-screen 0 1600x1000x24" "$app" --frames 10 --screenshot "$shot" "$@"
echo "run.sh: screenshot written to $shot"
