#!/usr/bin/env bash
# Installs what is missing, builds and runs every test.
# With CI=true it also runs the suite under ASan+UBSan (two of the gl tests), the ui tests under
# ThreadSanitizer, and fuzzes the CSV, model, session and script readers for 60 s each
# (FUZZ_SECONDS overrides).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ci=${CI:-false}

"$here/setup.sh" all

echo "== Release build and tests" >&2
build_tree "$root/build" -DCMAKE_BUILD_TYPE=Release -DHBAR_WERROR=ON
(cd "$root/build" && ctest --output-on-failure -j "$jobs")
echo "== Release pass done at $((SECONDS / 60)) min" >&2

if [ "$ci" = "true" ]; then
  echo "== ASan + UBSan build and tests" >&2
  # -O1 -g1 (line tables: sanitizer reports keep file:line): compiles 2.3-3.3x faster
  # than -O2 -g on our Eigen-heavy files, which is most of this pass's time.
  build_tree "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHBAR_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" \
    -DHBAR_SANITIZE="address;undefined" -DHBAR_BUILD_BENCH=OFF
  # Every unit, cli and ui test (the controller, tasks, panels, autosave; the monkey with
  # 2 x 1000 commands); of the gl tier (the real window, up to a minute each under ASan)
  # the two that draw the window and the canvas on screen (scenario) and offscreen into
  # animation frames and the encoders (animation). All gl tests run in the Release pass
  # above. (Keeps CI under 30 min on 2 cores.)
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 HBAR_MONKEY_COMMANDS=1000 \
    ctest --output-on-failure -j "$jobs" -LE gl)
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --output-on-failure -j "$jobs" -R '^gl_(scenario|animation)$')
  echo "== ASan + UBSan pass done at $((SECONDS / 60)) min" >&2

  echo "== ThreadSanitizer build and ui tests" >&2
  # clang + LLVM's OpenMP with Archer (OMP_TOOL_LIBRARIES): TSan sees OpenMP's barriers,
  # so the parallel loops are checked too. Core, the GUI logic and the ui tests (the
  # controller, its tasks, autosave and the monkey); suppressions: tests/tsan.supp.
  CXX=clang++ CC=clang cmake -S "$root" -B "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DHBAR_SANITIZE=thread -DHBAR_BUILD_BENCH=OFF >/dev/null
  cmake --build "$root/build-tsan" -j "$jobs" --target hbar_ui_tests
  (cd "$root/build-tsan" && OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so HBAR_MONKEY_COMMANDS=1000 \
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
    ctest --output-on-failure -j "$jobs" -L ui)
  echo "== TSan pass done at $((SECONDS / 60)) min" >&2

  secs=${FUZZ_SECONDS:-60}
  echo "== libFuzzer: CSV, model, session and script readers, $secs s each" >&2
  CXX=clang++ build_tree "$root/build-fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHBAR_FUZZ=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1" -DHBAR_BUILD_APP=OFF
  fuzz_one() {  # NAME: runs build-fuzz/tests/fuzz/fuzz_NAME on a corpus seeded from tests/data
    local corpus="$root/build-fuzz/corpus_$1" log="$root/build-fuzz/fuzz_$1.log"
    rm -rf "$corpus" && mkdir -p "$corpus" && cp "$root"/tests/data/* "$corpus"/
    if ! (cd "$root/build-fuzz" && "./tests/fuzz/fuzz_$1" -max_total_time="$secs" -max_len=4096 \
          -rss_limit_mb=2048 -print_final_stats=1 "$corpus" 2>"$log"); then
      tail -40 "$log" >&2
      echo "fuzz_$1 found a crash (log: $log; the input: build-fuzz/crash-*)" >&2
      return 1
    fi
    echo "fuzz_$1: $(grep -E '^stat::number_of_executed_units' "$log" | awk '{print $2}') inputs, no finding" >&2
  }
  # Two at a time (two cores).
  found=0
  fuzz_one csv & a=$!; fuzz_one model & b=$!
  wait $a || found=1; wait $b || found=1
  fuzz_one session & a=$!; fuzz_one script & b=$!
  wait $a || found=1; wait $b || found=1
  [ "$found" = 0 ]
  echo "fuzz: 4 passed, 0 failed"
  echo "== all passes done at $((SECONDS / 60)) min" >&2
fi
