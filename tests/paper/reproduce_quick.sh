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
