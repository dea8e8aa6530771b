#!/usr/bin/env bash
# Installs what is missing, builds (Release) and runs hbar.
# Until the desktop app lands, this runs a CLI demo: it samples the Swiss roll with
# the exact score at h = 0 and h = 1 and says where the CSV files went.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

"$here/setup.sh" all
build_tree "$root/build" -DCMAKE_BUILD_TYPE=Release

cli="$root/build/app/cli/hbar-cli"
if [ -x "$root/build/app/gui/hbar" ]; then
  exec "$root/build/app/gui/hbar" "$@"
fi
out="$root/exports"
mkdir -p "$out"
echo "hbar: the desktop app is not built yet; running the CLI demo instead." >&2
for h in 0 1; do
  "$cli" sample --data swissroll --schedule simple --score exact --h "$h" --n 2000 --steps 500 \
    --seed 1 --out "$out/swissroll_simple_h${h}_samples.csv" \
    --trajectories "$out/swissroll_simple_h${h}_trajectories.csv" --stride 25
done
echo "CSV files are in $out"
