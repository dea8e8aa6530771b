#!/usr/bin/env bash
# Installs what is missing, builds and runs every test.
# With CI=true it also runs the unit, cli and ui tests under ASan+UBSan, the ui tests under
# ThreadSanitizer, and fuzzes the CSV, model, session and script readers and the W2 solvers for 45 s each, side
# by side (FUZZ_SECONDS overrides); it leaves out the benchmark programs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
ci=${CI:-false}

"$here/setup.sh" all

# ctest runs two test programs at once and most of them use two OpenMP threads: threads
# that spin while they wait for work take the core from the other program. Waiting
# threads sleep instead (measured: the two heaviest paper tests side by side, 187 -> 154 s).
export OMP_WAIT_POLICY=passive

echo "== Release build and tests" >&2
# CI leaves out the benchmark programs (tests/bench: a minute of compiling on 2 cores,
# nothing in them is a test); a local run builds them.
bench=ON
[ "$ci" = "true" ] && bench=OFF
build_tree "$root/build" "${release_args[@]}" -DHBAR_BUILD_BENCH=$bench
(cd "$root/build" && ctest --output-on-failure -j "$jobs")
echo "== Release pass done at $((SECONDS / 60)) min" >&2

if [ "$ci" = "true" ]; then
  # The slowest tests stay in the Release pass (tests/sanitizer_skip.txt says why): their
  # names, regex-escaped, as one alternation for ctest -E.
  sanitizer_skip="^($(grep -v '^#' "$root/tests/sanitizer_skip.txt" | sed 's/[][\.*^$(){}+?|]/\\&/g' | paste -sd'|'))\$"
  echo "== ASan + UBSan build and tests" >&2
  # -O1 -g1 (line tables: sanitizer reports keep file:line): compiles 2.3-3.3x faster
  # than -O2 -g on our Eigen-heavy files, which is most of this pass's time.
  # A unity build (CMake joins up to 8 sources of a target into one): Eigen's templates are
  # parsed and instantiated once per batch, not once per file. The Release pass above builds
  # file by file, so every source still compiles on its own.
  configure_tree "$root/build-asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHBAR_WERROR=ON \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON \
    -DHBAR_SANITIZE="address;undefined" -DHBAR_BUILD_BENCH=OFF -DHBAR_PCH=OFF
  # Every unit, cli and ui test (the controller, its tasks, panels, commands, sessions,
  # autosave; the monkey with 2 x 1000 commands) under ASan + UBSan. The gl tier (the real
  # window through Mesa, whose own allocations LeakSanitizer cannot judge) runs in the
  # Release pass above, as do the paper's reproduction tests (minutes of training and
  # likelihood); leaving them and the app's binary out here keeps CI under 30 min.
  cmake --build "$root/build-asan" -j "$jobs" \
    --target hbar_unit_tests hbar_cli_tests hbar_session_cli_tests hbar_ui_tests
  (cd "$root/build-asan" && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 HBAR_MONKEY_COMMANDS=1000 \
    ctest --output-on-failure -j "$jobs" -LE '^(gl|paper)$' -E "$sanitizer_skip")
  echo "== ASan + UBSan pass done at $((SECONDS / 60)) min" >&2

  echo "== ThreadSanitizer build and ui tests" >&2
  # clang + LLVM's OpenMP with Archer (OMP_TOOL_LIBRARIES): TSan sees OpenMP's barriers,
  # so the parallel loops are checked too. Core, the GUI logic and the ui tests (the
  # controller, its tasks, autosave and the monkey); suppressions: tests/tsan.supp.
  CXX=clang++ CC=clang configure_tree "$root/build-tsan" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g1 -DNDEBUG" -DCMAKE_UNITY_BUILD=ON \
    -DHBAR_SANITIZE=thread -DHBAR_BUILD_BENCH=OFF -DHBAR_PCH=OFF
  cmake --build "$root/build-tsan" -j "$jobs" --target hbar_ui_tests
  (cd "$root/build-tsan" && OMP_TOOL_LIBRARIES=/usr/lib/llvm-14/lib/libarcher.so HBAR_MONKEY_COMMANDS=1000 \
    TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp" \
    ctest --output-on-failure -j "$jobs" -L ui -E "$sanitizer_skip")
  echo "== TSan pass done at $((SECONDS / 60)) min" >&2

  secs=${FUZZ_SECONDS:-45}
  echo "== libFuzzer: CSV, model, session and script readers and the W2 solvers, $secs s each" >&2
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
  # All five side by side (each gets two fifths of a core for its 45 s).
  found=0 pids=()
  for name in csv model session script w2; do fuzz_one "$name" & pids+=($!); done
  for p in "${pids[@]}"; do wait "$p" || found=1; done
  [ "$found" = 0 ]
  echo "fuzz: 5 passed, 0 failed"
  echo "== all passes done at $((SECONDS / 60)) min" >&2
fi
