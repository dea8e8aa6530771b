#!/usr/bin/env bash
# The monkey in the real window (issue 13, part 7): a few hundred commands of the seeded
# random walk (tests/ui/monkey.hpp, written out by hbar_monkey) with screenshots,
# layouts, animations and bad values among them. Fails on a crash, a hang (the run is
# bounded) or an unclean exit, naming the seed; HBAR_MONKEY_SEED / _COMMANDS replay.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
monkey=$6
seed=${HBAR_MONKEY_SEED:-3} n=${HBAR_MONKEY_COMMANDS:-300}
mkdir -p scratch
"$monkey" "$seed" "$n" "$data" "$out/scratch" > monkey.hbs || fail "hbar_monkey failed"
timeout 500 "$hbar" --script monkey.hbs > stdout.txt 2> stderr.txt
rc=$?
if [ "$rc" != 0 ]; then
  tail -25 stderr.txt >&2
  last=$(grep -o 'monkey.hbs:[0-9]*' stderr.txt | tail -1)
  [ "$rc" = 124 ] && fail "monkey seed $seed: the app hung (no exit in 500 s; the last refused line: $last)"
  fail "monkey seed $seed, $n commands: the app exited with $rc (last refused line: $last; replay: HBAR_MONKEY_SEED=$seed)"
fi
refused=$(grep -c 'script monkey.hbs:' stderr.txt)
shots=$(ls scratch/*.png 2>/dev/null | wc -l)
[ "$refused" -gt 10 ] || fail "the walk had only $refused refusals: not the monkey's mix"
echo "gl_monkey: seed $seed, $n commands, $refused refused with a message, $shots screenshots, clean exit"
