// The memory budget (issue 13, part 2): half the machine's memory unless
// HBAR_MEMORY_BUDGET says otherwise; each large allocation is estimated first and
// refused beyond it with the estimate, naming what asked.
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "hbar/process/dynamics.hpp"
#include "hbar/likelihood/fokker_planck.hpp"
#include "hbar/base/memory.hpp"
#include "hbar/process/noise.hpp"
#include "hbar/score/score.hpp"
#include "hbar/training/train.hpp"
#include "hbar/transport/transport.hpp"

using namespace hbar;

namespace {
// Sets HBAR_MEMORY_BUDGET for one scope.
struct Budget {
  explicit Budget(const char* v) { setenv("HBAR_MEMORY_BUDGET", v, 1); }
  ~Budget() { unsetenv("HBAR_MEMORY_BUDGET"); }
};

std::string refusal(const auto& f) {
  try {
    f();
  } catch (const MemoryBudgetError& e) {
    return e.what();
  }
  return "";
}
}  // namespace

TEST_CASE("memory budget: half the physical memory, or HBAR_MEMORY_BUDGET with K, M, G") {
  unsetenv("HBAR_MEMORY_BUDGET");
  const std::uint64_t phys = physical_memory();
  CHECK(phys >= (std::uint64_t{256} << 20));
  CHECK(memory_budget() == phys / 2);
  {
    Budget b("3M");
    CHECK(memory_budget() == 3u << 20);
  }
  {
    Budget b("1.5G");
    CHECK(memory_budget() == (3ull << 30) / 2);
  }
  {
    Budget b("4096");
    CHECK(memory_budget() == 4096);
  }
  for (const char* bad : {"lots", "12X", "-1M", "1MB", "nan"}) {
    Budget b(bad);
    CHECK_THROWS_AS(memory_budget(), MemoryBudgetError);
  }
  CHECK(format_bytes(100) == "100 B");
  CHECK(format_bytes(1536) == "1.5 KiB");
  CHECK(format_bytes(3.0 * (1 << 30)) == "3 GiB");
  CHECK(format_bytes(300.0 * (1 << 20)) == "300 MiB");
}

TEST_CASE("memory budget: runs, noise, score caches, Fokker-Planck, exact W2 and training are refused with the estimate") {
  Budget b("1M");
  // A run keeping every frame: 1000 particles x 101 frames x 16 bytes = 1.54 MiB.
  auto model = std::make_shared<GaussianScore>(Vec2(0, 0), Mat2::Identity(), Schedule::simple());
  SamplerConfig c;
  c.n = 1000;
  c.steps = 100;
  c.stride = 1;
  std::string e = refusal([&] { sample_reverse(*model, Schedule::simple(), c); });
  CAPTURE(e);
  CHECK(e.find("a run of 1000 particles keeping 101 frames needs 1.54 MiB, beyond the memory budget of 1 MiB") == 0);
  CHECK(e.find("set by HBAR_MEMORY_BUDGET") != std::string::npos);
  // Without frames the same run fits.
  c.stride = 0;
  CHECK(refusal([&] { sample_reverse(*model, Schedule::simple(), c); }) == "");

  e = refusal([] { NoiseTable(1, 1000, 100); });  // 1000 x 100 x 2 doubles = 1.53 MiB
  CHECK(e.find("the noise of 1000 particles over 100 steps needs 1.53 MiB") == 0);

  Points a = Points::Random(3000, 2), bb = Points::Random(3000, 2);
  e = refusal([&] { exact_w2(a, bb); });
  CHECK(e.find("an exact W2 between 3000 and 3000 points needs") == 0);

  FokkerPlanckConfig fp;
  fp.cells = 200;  // 40 000 cells x 8 bytes x (1 + 16) = 5.2 MiB
  e = refusal([&] { solve_fokker_planck(*model, Schedule::simple(), {0.0}, Points::Zero(1, 2), fp); });
  CHECK(e.find("a Fokker-Planck solve on 200 x 200 cells for 1 values of h needs 5.19 MiB") == 0);

  TrainConfig tc;
  tc.shape = MlpShape{512, 4};
  e = refusal([&] { ScoreTrainer(Points::Zero(4, 2), Schedule::simple(), tc); });
  CHECK(e.find("training a 512 x 4 network on batches of 512 needs") == 0);
}
