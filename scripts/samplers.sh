#!/usr/bin/env bash
# Quality against cost (issue 27, SCIENCE.md §12): every sampler over budgets of network
# evaluations on gauss25 and the Swiss roll, with the exact score and the paper's learned
# one (SIMPLE), W2 to held-out data; CSVs and SVG figures into docs/findings/ (or DIR).
#
#   scripts/samplers.sh [--quick] [--out DIR] [--build DIR]
#
# Full: NFE 4 … 256, 5 trials of 2000 points (about 10 min on 2 cores). --quick: NFE 4, 16,
# 3 trials of 300 points (a smoke test). Progress on stderr.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

quick=false out="" build="$root/build"
while [ $# -gt 0 ]; do
  case $1 in
    --quick) quick=true ;;
    --out) out=$2; shift ;;
    --build) build=$2; shift ;;
    -h|--help) sed -n '2,9p' "$0"; exit 0 ;;
    *) echo "samplers.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done
if [ "$quick" = true ]; then
  out=${out:-$root/build/samplers-quick} nfe=4,16 trials=3 n=300
else
  out=${out:-$root/docs/findings} nfe=4,8,16,32,64,128,256 trials=5 n=2000
fi
cli=$build/app/cli/hbar-cli plot=$build/app/gui/hbar-plot
mkdir -p "$out"
for data in gauss25 swissroll; do
  for score in exact paper; do
    name=samplers_${data}_${score}
    echo "samplers.sh: $name" >&2
    "$cli" samplers --data "$data" --score "$score" --schedule simple --nfe "$nfe" --trials "$trials" --n "$n" \
      --out "$out/$name.csv" --json > "$out/$name.json"
    # W2 against log2 NFE, one line per sampler (the plot tool's curves CSV).
    python3 - "$out/$name.csv" "$out/$name.curves.csv" <<'PY'
import csv, math, sys
rows = list(csv.DictReader(open(sys.argv[1])))
with open(sys.argv[2], "w") as f:
    f.write("series,x,y,err\n")
    for r in rows:
        if r["w2_mean"]:
            f.write('"%s",%.6g,%s,%s\n' % (r["sampler"], math.log2(float(r["nfe"])), r["w2_mean"], r["w2_sem"]))
PY
    what="exact score"
    [ "$score" = paper ] && what="the paper's learned network"
    "$plot" --curves "$out/$name.curves.csv" --out "$out/$name.svg" --light \
      --title "$data, $what (SIMPLE): W2 to held-out data against cost" \
      --xlabel "log2 of the network evaluations" --ylabel "W2 (not squared), mean ± s.e. over $trials trials" \
      --caption "each line a sampler; at the right, all reach the score's own law"
  done
done
echo "samplers.sh: done: $out" >&2
