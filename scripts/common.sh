# Shared by run.sh and test.sh: where things are, and a configure + build step.
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
jobs=$(nproc 2>/dev/null || echo 2)

# configure_tree DIR [cmake args...]: configures DIR; a new tree uses Ninja (it schedules
# every object of every target across the cores, where make waits target by target), an
# existing tree keeps the generator it was made with.
configure_tree() {
  local dir=$1
  shift
  local gen=()
  [ -f "$dir/CMakeCache.txt" ] || gen=(-G Ninja)
  cmake "${gen[@]}" -S "$root" -B "$dir" "$@" >/dev/null
}

# The one configuration of build/, shared by run.sh and test.sh (with or without CI=true)
# so that no object compiles twice: Release, warnings as errors (the compiler is Debian
# 12's GCC, which the project builds clean with), precompiled headers for the heavy
# third-party headers (HBAR_PCH).
release_args=(-DCMAKE_BUILD_TYPE=Release -DHBAR_WERROR=ON -DHBAR_PCH=ON)
# What the first picture needs: the app, the CLI and the plot tool (run.sh builds only these).
app_targets=(hbar hbar-cli hbar-plot)

# build_tree DIR [cmake args...]: configure (once) and build everything in DIR.
build_tree() {
  local dir=$1
  configure_tree "$@"
  cmake --build "$dir" -j "$jobs"
}
