#!/usr/bin/env bash
# Installs the Debian packages hbar needs, only those that are missing.
# Usage: scripts/setup.sh [core|gui|test|all]   (default: all)
set -euo pipefail
what=${1:-all}

core_pkgs=(build-essential cmake ninja-build pkg-config libeigen3-dev liblemon-dev libcli11-dev
           nlohmann-json3-dev doctest-dev libbenchmark-dev libstb-dev)
gui_pkgs=(libimgui-dev libglfw3-dev python3-glad libgl-dev xvfb xauth libgl1-mesa-dri
          xdotool fonts-dejavu-core libavcodec-dev libavformat-dev libswscale-dev libavutil-dev
          libgif-dev)
# ffmpeg (ffprobe) and python3-pil decode what the app exports; tests only. clang with
# its sanitizer runtimes builds the fuzz targets and the ThreadSanitizer pass; LLVM's
# OpenMP runtime (libomp-14-dev) carries Archer, which tells TSan about OpenMP's barriers.
test_pkgs=(clang libclang-rt-14-dev libomp-14-dev python3 ffmpeg python3-pil)

pkgs=("${core_pkgs[@]}")
case "$what" in
  core) ;;
  gui) pkgs+=("${gui_pkgs[@]}") ;;
  test|all) pkgs+=("${gui_pkgs[@]}" "${test_pkgs[@]}") ;;
  *) echo "setup.sh: unknown set '$what' (core|gui|test|all)" >&2; exit 2 ;;
esac

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
((${#missing[@]})) || exit 0

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "setup.sh: need root or sudo to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "setup.sh: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq >&2
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
