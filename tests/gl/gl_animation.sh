#!/usr/bin/env bash
# Animations from the real window (issue 11): an MP4 and a GIF of a short h sweep and
# of playback, decoded by Debian's ffprobe / ffmpeg and python3-pil (test-only
# dependencies): frame count = SECONDS x FPS, the size asked for, first and last
# frames differ. Then a long export cancelled with Esc (a real key, xdotool) leaves
# no file behind, and a bad extension is refused while the app goes on.
set -u
source "$(dirname "$0")/common.sh"
gl_begin "$@"
for t in ffprobe ffmpeg; do command -v $t >/dev/null || fail "$t is missing (scripts/setup.sh test installs ffmpeg)"; done
$py -c 'import PIL' 2>/dev/null || fail "python3-pil is missing (scripts/setup.sh test)"
cat > anim.hbs <<SCRIPT
data gauss25
set particles 1000
set steps 200
wait idle
set anim-width 320
set anim-height 180
set anim-h-from 0
set anim-h-to 1
export animation $out/sweep.mp4 hsweep 1 8
export animation $out/sweep.gif hsweep 0.5 12
export animation $out/play.mp4 playback 1 10
set anim-width 161
set anim-height 91
export animation $out/play.gif playback 1 5
export animation $out/bad.avi playback 1 5
export data $out/after.csv
quit
SCRIPT
"$hbar" --script anim.hbs > stdout.txt 2> stderr.txt || { cat stderr.txt >&2; fail "the animation script failed"; }
grep -q "bad.avi: an animation is .mp4 or .gif" stderr.txt || fail "the .avi was not refused with its reason"
[ -s after.csv ] || fail "the app did not go on after the refusal"
[ ! -e bad.avi ] || fail "a refused export left a file"
check() {  # file frames width height
  local got
  got=$(ffprobe -v error -count_frames -select_streams v:0 -show_entries stream=nb_read_frames,width,height -of csv=p=0 "$1")
  [ "$got" = "$3,$4,$2" ] || fail "$1: ffprobe says '$got', expected $3,$4,$2"
}
check sweep.mp4 8 320 180
check sweep.gif 6 320 180
check play.mp4 10 320 180
check play.gif 5 161 91
for f in sweep play; do
  ffmpeg -v error -y -i $f.mp4 -vf "select='eq(n\,0)'" -vsync 0 ${f}_first.png
  ffmpeg -v error -y -i $f.mp4 -vf "select='eq(n\,$(( $([ $f = sweep ] && echo 8 || echo 10) - 1 )))'" -vsync 0 ${f}_last.png
  d=$("$png" ${f}_first.png ${f}_last.png 0 30 320 180)  # below the caption
  awk -v d="$d" 'BEGIN { exit !(d > 0.01) }' || fail "$f.mp4: first and last frames are the same (diff $d)"
  echo "gl_animation: $f.mp4 first and last frames differ in $d of the pixels"
done
$py - <<'PY' || fail "the GIFs"
from PIL import Image, ImageChops
for f, n in (("sweep.gif", 6), ("play.gif", 5)):
    im = Image.open(f)
    assert im.n_frames == n and im.info.get("loop") == 0, (f, im.n_frames, im.info)
    first = im.convert("RGB"); im.seek(n - 1); last = im.convert("RGB")
    diff = ImageChops.difference(first, last).getbbox()
    assert diff is not None, f + ": first and last frames are the same"
print("gl_animation: GIFs loop, frame counts right, first and last frames differ")
PY

# Cancel with Esc: a 20-second h sweep of 2000 particles is still running when the key comes.
cat > long.hbs <<SCRIPT
data gauss25
wait idle
export animation $out/long.mp4 hsweep 20 30
export data $out/after_cancel.csv
quit
SCRIPT
launch_app long --script long.hbs
# The export's temporary beside long.mp4 (.hbar-tmp-PID-N), growing as frames come.
for _ in $(seq 1200); do ls -A | grep -q '^\.hbar-tmp-' && break; kill -0 $app 2>/dev/null || break; sleep 0.1; done
ls -A | grep -q '^\.hbar-tmp-' || { cat long.err >&2; fail "the long export did not start"; }
sleep 1
focus_hbar
xdotool key Escape
wait $app || { cat long.err >&2; fail "the app failed after the cancel"; }
grep -q "Animation cancelled: .*long.mp4 not written" long.err || { cat long.err >&2; fail "the cancel was not reported"; }
[ ! -e long.mp4 ] && ! ls -A | grep -q '^\.hbar-tmp-' || fail "a cancelled export left a file: $(ls -a)"
[ -s after_cancel.csv ] || fail "the script did not go on after the cancel"
echo "gl_animation: Esc cancelled the export; no file left"

# SIGTERM while an export is being written: the temporary goes, one line says so.
cat > term.hbs <<SCRIPT
data gauss25
wait idle
export animation $out/term.mp4 hsweep 20 30
SCRIPT
launch_app term --script term.hbs
for _ in $(seq 1200); do ls -A | grep -q '^\.hbar-tmp-' && break; kill -0 $app 2>/dev/null || break; sleep 0.1; done
ls -A | grep -q '^\.hbar-tmp-' || { cat term.err >&2; fail "the export to be terminated did not start"; }
kill -TERM $app
wait $app; rc=$?
[ "$rc" = 143 ] || { cat term.err >&2; fail "SIGTERM: exit $rc, expected 143"; }
grep -qx "hbar: terminated; unfinished exports removed" term.err || { cat term.err >&2; fail "SIGTERM: no line said it"; }
! ls -A | grep -q '^\.hbar-tmp-' && [ ! -e term.mp4 ] || fail "SIGTERM left a file: $(ls -A)"
# SIGKILL cannot be caught: its temporary stays until hbar writes into that folder again.
launch_app kill --script term.hbs
for _ in $(seq 1200); do ls -A | grep -q '^\.hbar-tmp-' && break; kill -0 $app 2>/dev/null || break; sleep 0.1; done
ls -A | grep -q '^\.hbar-tmp-' || { cat kill.err >&2; fail "the export to be killed did not start"; }
kill -KILL $app
wait $app 2>/dev/null
ls -A | grep -q '^\.hbar-tmp-' || fail "SIGKILL: expected the killed export's temporary to be there"
printf 'export data %s/after_kill.csv\nquit\n' "$out" > again.hbs
"$hbar" --script again.hbs > again.out 2> again.err || { cat again.err >&2; fail "the next start failed"; }
[ -s after_kill.csv ] || { cat again.err >&2; fail "the next start wrote nothing"; }
! ls -A | grep -q '^\.hbar-tmp-' || fail "the next start left the killed export's temporary: $(ls -A)"
echo "gl_animation: SIGTERM removed its temporary; the next start removed a killed one's"
echo "gl_animation: 4 passed, 0 failed"
