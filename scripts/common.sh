# Shared by run.sh and test.sh: where things are, and a configure + build step.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# build_tree DIR [cmake args...]: configure (once) and build everything in DIR.
build_tree() {
  local dir=$1
  shift
  cmake -S "$root" -B "$dir" "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}
