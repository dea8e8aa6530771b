#!/usr/bin/env bash
# Training the 25-Gaussian SIMPLE network again with scripts/reproduce.sh's settings (seed 1,
# two threads) gives the shipped file byte for byte. usage: retrain.sh HBAR_CLI SHIPPED.hbm WORK_DIR
set -euo pipefail
cli=$1 shipped=$2 work=$3
mkdir -p "$work"
OMP_NUM_THREADS=2 "$cli" train --data gauss25 --data-n 3000 --schedule simple --steps 80000 --batch 512 --lr 1e-3 \
  --width 128 --depth 3 --seed 1 --out "$work/gauss25_simple.hbm" --json > "$work/train.json"
if cmp "$work/gauss25_simple.hbm" "$shipped"; then
  echo "ok: $work/gauss25_simple.hbm equals $shipped byte for byte"
else
  echo "FAIL: retrained gauss25 SIMPLE differs from $shipped" >&2
  exit 1
fi
