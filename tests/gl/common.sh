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
  python3 -c 'import json,sys; x,y,w,h = json.load(open(sys.argv[1]))["canvas"]; print(int(x+20), int(y+40), int(x+w-20), int(y+h*0.84))' "$1"
}
