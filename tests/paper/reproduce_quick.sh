#!/usr/bin/env bash
# scripts/reproduce.sh --quick end to end (training, Table 1 with both methods, sweeps, toy,
# the app under Xvfb for Fig. 2, the report), then its structure and the numbers that have
# an independent truth. usage: reproduce_quick.sh ROOT BUILD WORK_DIR
set -euo pipefail
root=$1 build=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
bash "$root/scripts/reproduce.sh" --quick --build "$build" --out "$work" 2> "$work/reproduce.log" \
  || { tail -30 "$work/reproduce.log" >&2; exit 1; }
/usr/bin/python3 "$root/tests/paper/check_report.py" "$work"
# Resumable: a second run redoes no step (only the figures' SVGs and the report).
bash "$root/scripts/reproduce.sh" --quick --build "$build" --out "$work" 2> "$work/again.log"
n=$(grep -c "done before" "$work/again.log")
[ "$n" -ge 20 ] || { cat "$work/again.log" >&2; echo "FAIL: a second run redid steps ($n done before)" >&2; exit 1; }
echo "ok   a second run redid nothing ($n steps done before)"
# hbar-plot refuses a bad curves file naming the line, and writes nothing.
printf 'series,x,y,err\na,0,1,0.1\na,0.5,abc,0.1\n' > "$work/bad_curves.csv"
if "$build/app/gui/hbar-plot" --curves "$work/bad_curves.csv" --out "$work/bad.svg" 2> "$work/bad.err"; then
  echo "FAIL: hbar-plot accepted a bad file" >&2; exit 1
fi
grep -q "bad_curves.csv:3: 'abc' is not a finite number" "$work/bad.err" || { cat "$work/bad.err" >&2; exit 1; }
[ ! -e "$work/bad.svg" ] || { echo "FAIL: hbar-plot left bad.svg" >&2; exit 1; }
echo "ok   hbar-plot refuses a bad line: $(cat "$work/bad.err")"

