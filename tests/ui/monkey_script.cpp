// hbar_monkey SEED N DATA SCRATCH: prints the monkey's walk (monkey.hpp) as a script for
// the real window (gl_monkey.sh): N commands with screenshots, layout, stats and
// animations among them, `wait` between some, and `quit` at the end.
#include <cstdio>
#include <cstdlib>
#include <string>

#include "monkey.hpp"

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: hbar_monkey SEED N DATA_DIR SCRATCH_DIR\n");
    return 2;
  }
  const unsigned long long seed = std::strtoull(argv[1], nullptr, 10);
  const long n = std::strtol(argv[2], nullptr, 10);
  hbar::app::monkey::Places at{argv[3], argv[4], true};
  hbar::app::monkey::Rng r(seed);
  std::printf("# monkey seed %llu, %ld commands\nset nll-cells 32\nset particles 300\nset steps 100\n", seed, n);
  for (long i = 0; i < n; ++i) {
    std::string line = hbar::app::monkey::command(r, at);
    if (line == "quit" || line.rfind("wait", 0) == 0) continue;  // the script's own words
    std::printf("%s\n", line.c_str());
    if (r.chance(0.15)) std::printf("wait %d\n", 1 + r.below(4));
  }
  std::printf("wait idle\nquit\n");
  return 0;
}
