#!/usr/bin/env bash
# The file chooser (issue 11) with the real keyboard: `choose data` opens it in the
# folder the app runs in, listing folders and the CSV files (not the others); typing
# a name and Enter loads that file as the data.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
mkdir -p sub
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
launch_app choose --script choose.hbs
wait_for_file chooser.png choose.err "the app did not come up"
focus_hbar
sleep 0.3
# The name box has the keyboard as the dialog opens.
xdotool type --delay 40 "pts.csv"
xdotool key Return
wait $app || { cat choose.err >&2; fail "the app failed"; }
grep -q "file chooser" choose.err && { cat choose.err >&2; fail "the chosen command was refused"; }
/usr/bin/python3 - "$data/good_semicolon.csv" <<'PY' || fail "the chosen file was not loaded"
import csv, sys
after = [tuple(map(float, r)) for r in list(csv.reader(open("after.csv")))[1:]]
print(f"gl_chooser: after choosing pts.csv the data has {len(after)} points")
assert 0 < len(after) < 100, len(after)  # the small test file, not the 2000-point Swiss roll
PY
echo "gl_chooser: 1 passed, 0 failed"
