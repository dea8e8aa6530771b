#!/usr/bin/env bash
# The paper (Hirono, Tanaka & Fukushima, ICML 2024) reproduced with hbar in one command:
# trains its four networks, runs Table 1 (both first-order methods), the Fig. 4 W2 sweeps,
# the Fig. 3 toy model and the Fig. 2 overlay, and writes docs/reproduction.md.
#
#   scripts/reproduce.sh [--quick] [--out DIR] [--build DIR] [--report F.md]
#
# Full (about 30 min on 2 cores): models into assets/models (80 000 Adam steps each, seed 1,
# two training threads: the same seed and thread count give the same file bit for bit),
# results into build/reproduce, the report into docs/reproduction.md.
# --quick (a few minutes; CI's smoke test): 1500 steps, 10 batches, small sweeps; models,
# results and the report all under DIR (default build/reproduce-quick).
# Resumable: a step whose result file exists is not run again (delete it to redo that step).
# Progress on stderr; each step's wall time in DIR/times/.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

quick=false out="" build="$root/build" report=""
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=true ;;
    --out) out=$2; shift ;;
    --build) build=$2; shift ;;
    --report) report=$2; shift ;;
    -h|--help) sed -n '2,15p' "$0"; exit 0 ;;
    *) echo "reproduce.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

if [ "$quick" = true ]; then
  out=${out:-$root/build/reproduce-quick}
  models=$out/models report=${report:-$out/reproduction.md}
  steps=1500 batches=10 fd_points=2 sweep_h=0:0.2:3 trials=2 sweep_n=300 sweep_steps=100
  toy_h="0 0.1 1" toy_n=20000 toy_steps=200
else
  out=${out:-$root/build/reproduce}
  models=$root/assets/models report=${report:-$root/docs/reproduction.md}
  steps=80000 batches=100 fd_points=20 sweep_h=0:0.2:10 trials=10 sweep_n=3000 sweep_steps=1000
  toy_h="0 0.05 0.1 0.2 0.35 0.5 0.75 1" toy_n=200000 toy_steps=1000
fi
mkdir -p "$out/times" "$models"
cli=$build/app/cli/hbar-cli app=$build/app/gui/hbar plot=$build/app/gui/hbar-plot
if [ ! -x "$cli" ] || [ ! -x "$app" ] || [ ! -x "$plot" ]; then
  echo "[reproduce] building hbar in $build" >&2
  "$here/setup.sh" all
  build_tree "$build" -DCMAKE_BUILD_TYPE=Release
fi
log() { echo "[reproduce $(date +%H:%M:%S)] $*" >&2; }

# step NAME RESULT CMD…: runs CMD (whose stdout becomes RESULT, atomically) unless RESULT
# exists; its wall time goes to times/NAME.
step() {
  local name=$1 result=$2
  shift 2
  if [ -s "$result" ]; then log "$name: done before ($result)"; return 0; fi
  log "$name"
  local t0
  t0=$(date +%s%N)
  if [ "$result" = - ]; then "$@" >/dev/null; else "$@" > "$result.tmp" && mv "$result.tmp" "$result"; fi
  python3 -c "print(round(($(date +%s%N) - $t0) / 1e9, 1))" > "$out/times/$name"
}

sets=(swissroll gauss25)
scheds=(simple cosine)
export OMP_NUM_THREADS=2  # training splits each step in one slice per thread: bit-identical for 2

# 1. The four networks: the paper's 128 x 3 MLP, Adam lr 1e-3, batch 512, 3000 points, seed 1.
for d in "${sets[@]}"; do for s in "${scheds[@]}"; do
  step "train_${d}_${s}" "$out/train_${d}_${s}.json" \
    "$cli" train --data "$d" --data-n 3000 --schedule "$s" --steps "$steps" --batch 512 --lr 1e-3 \
      --width 128 --depth 3 --seed 1 --out "$models/${d}_${s}.hbm" --json
done; done
unset OMP_NUM_THREADS

# 2. Table 1 on one held-out draw of 1000 points per data set (100 batches of 10), exact C;
# 3. the paper's finite differences and the exact method on the first points of that draw.
for d in "${sets[@]}"; do
  [ -s "$out/heldout_$d.csv" ] || "$cli" data --data "$d" --n $((batches * 10)) --heldout --seed 0 \
    --out "$out/heldout_$d.csv" >/dev/null
  head -n $((fd_points + 1)) "$out/heldout_$d.csv" > "$out/fdpoints_$d.csv"
  for s in "${scheds[@]}"; do
    m=$models/${d}_${s}.hbm
    step "table1_${d}_${s}" "$out/table1_${d}_${s}.json" \
      "$cli" table1 --data "$d" --schedule "$s" --score "$m" --eval-file "$out/heldout_$d.csv" \
        --batches "$batches" --batch 10 --first-order exact --json
    for method in exact fd; do
      step "first_order_${method}_${d}_${s}" "$out/first_order_${method}_${d}_${s}.json" \
        "$cli" nll --data "$d" --schedule "$s" --score "$m" --eval-file "$out/fdpoints_$d.csv" \
          --first-order "$method" --points-out "$out/first_order_${method}_${d}_${s}.csv" --json
    done
  done
done

# 4. Fig. 4: W2(h) for h = 0 … 0.2, exact W2 against held-out draws, ± s.e. over trials.
for d in "${sets[@]}"; do for s in "${scheds[@]}"; do
  step "sweep_${d}_${s}" "$out/sweep_${d}_${s}.json" \
    "$cli" sweep --data "$d" --schedule "$s" --score "$models/${d}_${s}.hbm" --h "$sweep_h" \
      --trials "$trials" --n "$sweep_n" --steps "$sweep_steps" --seed 1 --method exact \
      --out "$out/sweep_${d}_${s}.csv" --json
done; done
for d in "${sets[@]}"; do
  curves=$out/fig4_$d.csv
  python3 - "$out" "$d" > "$curves.tmp" <<'EOF'
import csv, sys
out, d = sys.argv[1], sys.argv[2]
print("series,x,y,err")
for s in ("simple", "cosine"):
    for row in csv.DictReader(open(f"{out}/sweep_{d}_{s}.csv")):
        print(f"{s},{row['h']},{row['w2_mean']},{row['w2_sem']}")
EOF
  mv "$curves.tmp" "$curves"
  name=$([ "$d" = swissroll ] && echo "Swiss roll" || echo "25 Gaussians")
  "$plot" --curves "$curves" --out "$out/fig4_$d.svg" --light --width 560 --height 360 \
    --title "$name: W2(h) (exact, not squared) to held-out data, +-1 s.e. over trials" \
    --xlabel h --ylabel W2 --label "simple=SIMPLE" --label "cosine=COSINE"
done

# 5. Fig. 3: the 1-D toy model, closed form and a simulation of the sampler.
for eps in 0.1 0.2; do for h in $toy_h; do
  step "toy_${eps}_${h}" "$out/toy_${eps}_${h}.json" \
    "$cli" toy1d --eps "$eps" --h "$h" --simulate --n "$toy_n" --steps "$toy_steps" --seed 1 --json
done; done
python3 - "$out" "$toy_h" > "$out/fig3.csv.tmp" <<'EOF'
import json, math, sys
out, hs = sys.argv[1], sys.argv[2].split()
print("series,x,y,err")
for eps in ("0.1", "0.2"):
    rows = [json.load(open(f"{out}/toy_{eps}_{h}.json")) for h in hs]
    for r in rows:
        print(f"closed_{eps},{r['h']},{r['nll']},0")
    for r in rows:
        # NLL of N(0, v0) data under N(0, u): 1/2 log(2 pi u) + v0 / (2u); the error bar
        # carries the simulated variance's standard error through that formula.
        u, se, v0 = r["sim_var"], r["sim_var_stderr"], r["v0"]
        nll = 0.5 * math.log(2 * math.pi * u) + v0 / (2 * u)
        print(f"sim_{eps},{r['h']},{nll},{abs(0.5 / u - v0 / (2 * u * u)) * se}")
EOF
mv "$out/fig3.csv.tmp" "$out/fig3.csv"
"$plot" --curves "$out/fig3.csv" --out "$out/fig3.svg" --light --width 560 --height 360 \
  --title "1-D toy model: NLL(h), closed form and simulation (+-1 s.e.)" --xlabel h --ylabel "NLL (nats)" \
  --label "closed_0.1=closed form, eps 0.1" --label "sim_0.1=simulation, eps 0.1" \
  --label "closed_0.2=closed form, eps 0.2" --label "sim_0.2=simulation, eps 0.2"

# 6. Fig. 2: trajectories at h = 0, 0.25, 1 from the same starts and noise (the app, learned
# SIMPLE networks): one canvas per h with six thick paths, and the app's overlay of the three.
for d in "${sets[@]}"; do
  png=$out/fig2_${d}_overlay.png
  [ -s "$png" ] && { log "fig2_$d: done before ($png)"; continue; }
  if ! command -v Xvfb >/dev/null; then log "fig2_$d: skipped (no Xvfb: scripts/setup.sh all installs it)"; continue; fi
  log "fig2_$d (the app under Xvfb)"
  settle=6s  # after a screenshot: its toast has gone before the next one (quick: 3 frames, toasts and all)
  [ "$quick" = true ] && settle=3
  cat > "$out/fig2_$d.hbs" <<EOF
# Fig. 2: the paper network's PF ODE (h = 0), h = 0.25 and the reverse SDE (h = 1) from the same starts
set data $d
set schedule simple
set model $([ "$quick" = true ] && echo "$models/${d}_simple.hbm" || echo paper)
set score learned
set paths 6
set plots off
wait idle
set play off
set frame end
wait $settle
screenshot canvas $out/fig2_${d}_h0.png
set h 0.25
wait idle
wait $settle
screenshot canvas $out/fig2_${d}_h0.25.png
set h 1
wait idle
wait $settle
screenshot canvas $out/fig2_${d}_h1.png
set h 0
set paths 0
set lines 0
set show-particles off
set overlay on
wait idle
wait $settle
screenshot canvas $png.tmp.png
wait 3
quit
EOF
  t0=$(date +%s)
  script=$out/fig2_$d.hbs applog=$out/fig2_$d.log
  ( source "$root/tests/gl/common.sh"; start_xvfb 1400x1000x24  # (its loop variable is d)
    HBAR_RECOVERY_DIR="$out/recovery" timeout 600 "$app" --script "$script" > "$applog" 2>&1 ) \
    || { log "fig2_$d: the app failed (see $applog)"; exit 1; }
  mv "$png.tmp.png" "$png"
  echo $(( $(date +%s) - t0 )) > "$out/times/fig2_$d"
done

# 7. The report.
log "report: $report"
py=python3
[ -x /usr/bin/python3 ] && py=/usr/bin/python3  # Debian's, with python3-pil (smaller PNGs)
"$py" "$here/reproduce_report.py" --out "$out" --models "$models" --report "$report" \
  $([ "$quick" = true ] && echo --quick) --commit "$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
log "done: $report"
