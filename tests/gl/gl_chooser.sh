#!/usr/bin/env bash
# The file chooser (issue 11) with the real keyboard: `choose data` opens it in the
# folder the app runs in, listing folders and the CSV files (not the others); typing
# a name and Enter loads that file as the data.
set -u
hbar=$1 png=$2 data=$3 out=$4
source "$(dirname "$0")/common.sh"
command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed" >&2; exit 77; }
rm -rf "$out" && mkdir -p "$out/sub" && cd "$out" || exit 1
start_xvfb
cp "$data/good_semicolon.csv" pts.csv
echo "not data" > notes.md
cat > choose.hbs <<SCRIPT
wait idle
choose data
wait 10
screenshot $out/chooser.png
wait 12s
wait idle
export data $out/after.csv
quit
SCRIPT
"$hbar" --script choose.hbs > stdout.txt 2> stderr.txt &
app=$!
trap 'kill $app 2>/dev/null; kill $xvfb_pid 2>/dev/null' EXIT
for _ in $(seq 600); do [ -s chooser.png ] && break; kill -0 $app 2>/dev/null || break; sleep 0.2; done
[ -s chooser.png ] || { cat stderr.txt >&2; fail "the app did not come up"; }
win=$(xdotool search --sync --name '^hbar$' | head -1)
xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
sleep 0.3
# The name box has the keyboard as the dialog opens.
xdotool type --delay 40 "pts.csv"
xdotool key Return
wait $app || { cat stderr.txt >&2; fail "the app failed"; }
grep -q "file chooser" stderr.txt && { cat stderr.txt >&2; fail "the chosen command was refused"; }
/usr/bin/python3 - "$data/good_semicolon.csv" <<'PY' || fail "the chosen file was not loaded"
import csv, sys
after = [tuple(map(float, r)) for r in list(csv.reader(open("after.csv")))[1:]]
print(f"gl_chooser: after choosing pts.csv the data has {len(after)} points")
assert 0 < len(after) < 100, len(after)  # the small test file, not the 2000-point Swiss roll
PY
echo "gl_chooser: 1 passed, 0 failed"
