#pragma once
// Where the programs find what they ship with (the paper's models, examples, scripts):
// relative to their own executable, with no source or build path compiled in, so an
// installed prefix can be moved.
//   HBAR_DATA_DIR (environment), if set;
//   <exe>/../share/hbar        an installed prefix (bin/hbar → share/hbar);
//   <exe>/../../share/hbar     the build tree (build/app/gui/hbar → build/share/hbar, which
//                              CMake links to the source tree's assets at configure time).
#include <filesystem>

namespace hbar::app {

// The directory of the running executable (/proc/self/exe); empty when unknown.
std::filesystem::path executable_dir();
// The first of the places above that exists; empty when none does.
std::filesystem::path resource_dir();

}  // namespace hbar::app
