#!/usr/bin/env bash
# Installs what is missing, builds and runs every test.
# With CI=true it also runs the suite under ASan+UBSan (three of the gl tests) and fuzzes the CSV loader
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
  # -O1 -g1 (line tables: sanitizer reports keep file:line): compiles 2.3-3.3x faster
  # than -O2 -g on our Eigen-heavy files, which is most of this pass's time.
  build_tree "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHBAR_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DHBAR_SANITIZE="address;undefined" -DHBAR_BUILD_BENCH=OFF
  # Every unit, cli and ui test (the controller, tasks and panels); of the gl tier (the
  # real window, up to a minute each under ASan) three that draw the window and the
  # canvas on screen (scenario), offscreen into animation frames and encoders
  # (animation) and as 2x / 4x / transparent figures and SVG plots (figures). All gl
  # tests run in the Release pass above. (Keeps CI near 30 min on 2 cores.)
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$jobs" -LE gl)
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$jobs" -R '^gl_(scenario|animation|figures)$')

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
