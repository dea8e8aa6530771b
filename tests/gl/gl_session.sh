#!/usr/bin/env bash
# Sessions replay: the real app sets a scene up, saves a session and exports its
# samples, and quits. Started again with --session it exports the same samples, byte
# for byte, and so does hbar-cli sample --session. A bad session stops hbar with
# status 2 and one line naming the key.
set -u
hbar=$1 png=$2 data=$3 out=$4 cli=$5
source "$(dirname "$0")/common.sh"
rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1
start_xvfb
cat > first.hbs <<SCRIPT
data moons
set particles 500
set steps 200
set score biased
set bias 0.3
set h 0.42
set seed 7
set theme light
wait idle
session save $out/s.json
export samples $out/first.csv
quit
SCRIPT
timeout 300 "$hbar" --width 1280 --height 800 --script first.hbs > first.out 2> first.err || { cat first.err >&2; fail "first run failed"; }
[ -s s.json ] && [ -s first.csv ] || { cat first.err >&2; fail "no session or samples from the first run"; }
[ "$(wc -l < first.csv)" -eq 501 ] || fail "first.csv should hold 500 particles"
cat > second.hbs <<SCRIPT
wait idle
export samples $out/second.csv
screenshot $out/second.png
quit
SCRIPT
timeout 300 "$hbar" --width 1280 --height 800 --session s.json --script second.hbs > second.out 2> second.err || { cat second.err >&2; fail "second run failed"; }
cmp -s first.csv second.csv || fail "the app started from the session exported other samples"
"$cli" sample --session s.json --out cli.csv > cli.out 2> cli.err || { cat cli.err >&2; fail "hbar-cli sample --session failed"; }
cmp -s first.csv cli.csv || fail "hbar-cli sample --session differs from the app's export"
# The light theme came back with the view: the canvas is mostly white.
read -r w h colours < <("$png" second.png)
[ "$w" = 1280 ] && [ "$h" = 800 ] || fail "second.png is ${w}x${h}"
printf '{"hbar_session": 1, "settings": {"h": -1}}' > bad.json
"$hbar" --session bad.json --frames 1 > bad.out 2> bad.err
rc=$?
[ $rc -eq 2 ] || fail "a bad session should exit 2, got $rc"
[ "$(wc -l < bad.err)" -eq 1 ] || fail "a bad session should print one line: $(cat bad.err)"
grep -q "bad.json: settings.h: h must be a number in \[0, 10\], got '-1'" bad.err || fail "bad session message: $(cat bad.err)"
echo "gl_session: $(wc -l < first.csv) lines equal in the app's two runs and hbar-cli"
echo "gl_session: 1 passed, 0 failed"
