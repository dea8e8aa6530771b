# Shared by the gl tests: start Xvfb on a free display, or skip (77) saying why.
fail() { echo "FAIL: $*" >&2; exit 1; }
start_xvfb() {  # [WxHxD], default 1600x1000x24
  local screen=${1:-1600x1000x24}
  command -v Xvfb >/dev/null || { echo "SKIP: Xvfb is not installed (scripts/setup.sh installs xvfb)" >&2; exit 77; }
  for d in $(seq 90 140); do
    [ -e /tmp/.X$d-lock ] && continue
    Xvfb ":$d" -screen 0 "$screen" -nolisten tcp >/dev/null 2>&1 &
    xvfb_pid=$!
    for _ in $(seq 50); do
      [ -e /tmp/.X11-unix/X$d ] && { export DISPLAY=":$d"; trap 'kill $xvfb_pid 2>/dev/null' EXIT; return 0; }
      kill -0 $xvfb_pid 2>/dev/null || break
      sleep 0.1
    done
    kill $xvfb_pid 2>/dev/null
  done
  echo "SKIP: Xvfb could not start on any display :90-:140" >&2
  exit 77
}
# The canvas from the app's `layout` file, inset past the floating h slider and the
# legend: "x0 y0 x1 y1" in window pixels, for png_stats.
canvas_crop() {
  python3 -c 'import json,sys; x0,y0,x1,y1 = json.load(open(sys.argv[1]))["canvas"]; print(int(x0+20), int(y0+40), int(x1-20), int(y0+(y1-y0)*0.84))' "$1"
}
# The usual start of a gl test: `[GL_SCREEN=WxHxD] gl_begin "$@"` sets hbar, png, data and out
# from the test's arguments, empties and enters $out, starts Xvfb and sets py (the
# system Python, which has python3-pil).
gl_begin() {
  hbar=$1 png=$2 data=$3 out=$4
  rm -rf "$out" && mkdir -p "$out" && cd "$out" || exit 1
  start_xvfb "${GL_SCREEN:-}"
  py=/usr/bin/python3
}
# Runs hbar in the background (`launch_app NAME ARGS…`: output in NAME.out / NAME.err),
# killed with Xvfb when the test ends; `app` is its pid.
launch_app() {
  local name=$1; shift
  "$hbar" "$@" > "$name.out" 2> "$name.err" &
  app=$!
  trap 'kill $app 2>/dev/null; kill $xvfb_pid 2>/dev/null' EXIT
}
# Waits (at most 2 minutes) until file $1 exists and is not empty, or the app has ended;
# fails with the app's stderr ($2) and message $3 when it never comes.
wait_for_file() {
  for _ in $(seq 1200); do [ -s "$1" ] && return 0; kill -0 $app 2>/dev/null || break; sleep 0.1; done
  [ -s "$1" ] || { cat "$2" >&2; fail "$3"; }
}
# The hbar window, focused; its id in `win`.
focus_hbar() {
  command -v xdotool >/dev/null || { echo "SKIP: xdotool is not installed" >&2; exit 77; }
  win=$(xdotool search --sync --name '^hbar$' | head -1)
  [ -n "$win" ] || fail "no hbar window found"
  xdotool windowfocus --sync "$win" 2>/dev/null || xdotool windowfocus "$win"
}
# A left drag in the window `win` at height $3 from x $1 to x $2, in 15 moves (the
# press and the moves in frames of their own: an app frame is ~0.1 s under llvmpipe).
drag_x() {
  xdotool mousemove --window "$win" "$1" "$3"; sleep 0.3
  xdotool mousedown 1; sleep 0.2
  for k in $(seq 1 15); do xdotool mousemove --window "$win" $(( $1 + ($2 - $1) * k / 15 )) "$3"; sleep 0.06; done
  sleep 0.4; xdotool mouseup 1; sleep 0.4
}
