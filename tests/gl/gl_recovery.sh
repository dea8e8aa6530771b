#!/usr/bin/env bash
# Nothing lost on a crash (issue 13): the real app draws data and changes settings, is
# killed with SIGKILL, and the next start offers the session it autosaved; a click on
# Restore (xdotool) brings back the drawn points, h and the theme exactly.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
export HBAR_RECOVERY_DIR=${HBAR_RECOVERY_DIR:-$out/recovery}
cat > work.hbs <<SCRIPT
draw clear
draw add -1 0.5 0.4 120
draw add 1 -0.5 0.3 80
set h 0.4
set theme light
wait idle
export data $out/before.csv
wait 600s
SCRIPT
launch_app first --script work.hbs
first=$app
wait_for_file before.csv first.err "the first app never exported its data"
saved=$HBAR_RECOVERY_DIR/session-$first.json
for _ in $(seq 100); do
  [ -s "$saved" ] && grep -q '"light_theme"\|"theme": "light"' "$saved" && break
  sleep 0.1
done
[ -s "$saved" ] || { ls -la "$HBAR_RECOVERY_DIR" >&2; cat first.err >&2; fail "no autosave $saved"; }
kill -9 "$first"
wait "$first" 2>/dev/null
[ -s "$saved" ] || fail "the recovery file went with the killed app"

cat > again.hbs <<SCRIPT
recovery offer
wait 20
layout $out/layout.json
screenshot $out/offer.png
wait 10s
wait idle
session save $out/restored.json
screenshot $out/restored.png
quit
SCRIPT
launch_app second --script again.hbs
wait_for_file layout.json second.err "the second app never wrote its layout"
wait_for_file offer.png second.err "no screenshot of the offer"
focus_hbar
read -r bx by < <($py -c 'import json; r = json.load(open("layout.json"))["recovery_restore"]; print(int((r[0] + r[2]) / 2), int((r[1] + r[3]) / 2))')
[ "$bx" -gt 0 ] || fail "the Restore button was not drawn (layout: $(cat layout.json))"
xdotool mousemove --window "$win" "$bx" "$by"; sleep 0.3
xdotool mousedown 1; sleep 0.2; xdotool mouseup 1
wait_for_file restored.json second.err "the second app never saved the restored session"
wait "$app"; rc=$?
[ "$rc" = 0 ] || { cat second.err >&2; fail "the second app exited with $rc"; }
$py - "$saved" <<'PY' || { cat second.err >&2; fail "the restored session differs"; }
import csv, json, os, sys
before = [(float(a), float(b)) for a, b in list(csv.reader(open("before.csv")))[1:]]
r = json.load(open("restored.json"))
pts = [tuple(p) for p in r["data_points"]]
assert len(before) == 200, len(before)
# CSV export writes 17 significant digits: the same doubles.
assert pts == before, (len(pts), pts[:2], before[:2])
assert r["settings"]["h"] == 0.4, r["settings"]["h"]
assert r["view"]["theme"] == "light", r["view"]["theme"]
assert r.get("data_drawn") is True
assert not os.path.exists(sys.argv[1]), "the restored file is still offered"
left = os.listdir(os.environ["HBAR_RECOVERY_DIR"])
assert left == [], left  # the second app exited cleanly: its own file is gone too
print("gl_recovery: SIGKILL after drawing 200 points; Restore brought back the points, h 0.4 and the theme")
PY
