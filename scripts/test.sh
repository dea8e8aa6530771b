#!/usr/bin/env bash
# Installs what is missing, builds and runs every test.
# With CI=true it also runs the suite under ASan+UBSan and fuzzes the CSV loader
# for 60 s (FUZZ_SECONDS overrides).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ci=${CI:-false}

"$here/setup.sh" all

echo "== Release build and tests" >&2
build_tree "$root/build" -DCMAKE_BUILD_TYPE=Release -DHBAR_WERROR=ON
(cd "$root/build" && ctest --output-on-failure -j "$jobs")

if [ "$ci" = "true" ]; then
  echo "== ASan + UBSan build and tests" >&2
  build_tree "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHBAR_WERROR=ON \
    -DHBAR_SANITIZE="address;undefined" -DHBAR_BUILD_BENCH=OFF
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$jobs")

  echo "== libFuzzer: CSV loader, ${FUZZ_SECONDS:-60} s" >&2
  CXX=clang++ build_tree "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHBAR_FUZZ=ON \
    -DHBAR_BUILD_APP=OFF
  corpus="$root/build-fuzz/corpus"
  rm -rf "$corpus" && mkdir -p "$corpus"
  cp "$root"/tests/data/* "$corpus"/
  "$root/build-fuzz/tests/fuzz/fuzz_csv" -max_total_time="${FUZZ_SECONDS:-60}" -max_len=4096 \
    -print_final_stats=1 "$corpus" 2>"$root/build-fuzz/fuzz.log" || {
    tail -50 "$root/build-fuzz/fuzz.log" >&2
    echo "fuzzing found a crash (log: build-fuzz/fuzz.log)" >&2
    exit 1
  }
  grep -E "^stat::number_of_executed_units|^Done" "$root/build-fuzz/fuzz.log" >&2 || true
  echo "fuzz: 1 passed, 0 failed"
fi
