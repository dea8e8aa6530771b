// The monkey in the ui tier (issue 13, part 7): the controller, its tasks and its
// autosave driven by a seeded random walk over the command vocabulary (monkey.hpp).
// Fails on a crash or a sanitizer report (ASan, UBSan, TSan in CI: the message names
// the seed and the command), a hang (a frame watchdog), a leak (LeakSanitizer at exit),
// or a state the setting table would refuse. Replay one walk with
// HBAR_MONKEY_SEED=S HBAR_MONKEY_COMMANDS=N.
#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <mutex>
#include <thread>

#include "controller.hpp"
#include "frames.hpp"
#include "monkey.hpp"
#include "setting_table.hpp"

using namespace hbar;
using namespace hbar::app;
using test::scratch;
using test::seconds;

extern "C" void __sanitizer_set_death_callback(void (*)(void)) __attribute__((weak));

namespace {
// Where the walk is, for the death callback and the watchdog (plain chars: read while dying).
char g_where[768] = "";
std::mutex g_where_mutex;

void set_where(unsigned long long seed, int i, int n, const std::string& line) {
  std::lock_guard lock(g_where_mutex);
  std::snprintf(g_where, sizeof g_where,
                "monkey: seed %llu, command %d of %d: '%s' (replay: HBAR_MONKEY_SEED=%llu HBAR_MONKEY_COMMANDS=%d)", seed,
                i + 1, n, line.c_str(), seed, i + 1);
}

void say_where() { std::fprintf(stderr, "\n%s\n", g_where); }

// Aborts (naming the command) when one frame takes longer than `limit_s`.
class Watchdog {
 public:
  explicit Watchdog(double limit_s) : limit_(limit_s), thread_([this] { watch(); }) {}
  ~Watchdog() {
    stop_ = true;
    thread_.join();
  }
  void frame_begins() { began_ = seconds(); }
  void frame_ends() { began_ = -1; }

 private:
  void watch() {
    while (!stop_) {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      const double b = began_;
      if (b >= 0 && seconds() - b > limit_) {
        std::lock_guard lock(g_where_mutex);
        std::fprintf(stderr, "\nmonkey: a frame has taken over %.0f s (a hang) after\n%s\n", limit_, g_where);
        std::abort();
      }
    }
  }
  double limit_;
  std::atomic<double> began_{-1};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

unsigned long long env_number(const char* name, unsigned long long fallback) {
  const char* v = std::getenv(name);
  return v && *v ? std::strtoull(v, nullptr, 10) : fallback;
}

// Every value the state holds is one the setting table accepts again.
void check_state(UiState& ui) {
  for (const SettingInfo& info : setting_table()) {
    Settings s = ui.settings;
    View v = ui.view;
    const std::string value = get_setting(ui.settings, ui.view, info.key);
    INFO("key ", info.key, " = ", value);
    CHECK(set_setting(s, v, info.key, value) == "");
  }
}

// One walk of `n` commands from `seed` (two seeds are two test cases: ctest runs them side by side).
void walk(unsigned long long seed, int n) {
  if (__sanitizer_set_death_callback) __sanitizer_set_death_callback(say_where);
  Watchdog dog(90);  // a frame is milliseconds; a scene build runs in the background
  {
    const auto dir = scratch(("monkey_" + std::to_string(seed)).c_str());
    monkey::Places at{HBAR_TEST_DATA, dir.string(), false};
    monkey::Rng r(seed);
    UiState ui;
    test::small(ui);
    ui.view.export_dir = dir.string();
    Controller c(ui);
    c.enable_recovery(dir / "recovery");
    int refused = 0, applied = 0;
    for (int i = 0; i < n; ++i) {
      std::vector<std::string> lines{monkey::command(r, at)};
      // Slider drags: bursts of h changes within one frame.
      if (lines[0].rfind("set h ", 0) == 0 && r.chance(0.3))
        for (int b = 0; b < 8; ++b) lines.push_back("set h " + monkey::num(r.uniform()));
      for (const std::string& line : lines) {
        set_where(seed, i, n, line);
        INFO(g_where);
        ui.status.last_error.clear();
        ui.commands.push(Command::parse(line, "monkey"));
        dog.frame_begins();
        c.frame(seconds(), 1.0 / 60);
        dog.frame_ends();
        (ui.status.last_error.empty() ? applied : refused) += 1;
      }
      if (i % 50 == 49) check_state(ui);
      // Now and then let the tasks finish, so their results are taken too (at most 15 s:
      // under the sanitizers a training run or the NLL task may take longer; that is fine).
      if (i % 400 == 399) {
        set_where(seed, i, n, "(waiting until idle)");
        dog.frame_begins();
        test::frames_until(c, [&] {
          dog.frame_begins();
          return c.idle();
        }, 15);
        dog.frame_ends();
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    check_state(ui);
    MESSAGE("monkey seed ", seed, ": ", n, " steps, ", applied, " commands applied, ", refused, " refused");
    // Both kinds occur: the walk is not all refusals (or all good values).
    CHECK(applied > n / 4);
    CHECK(refused > n / 10);
  }
}
}  // namespace

// HBAR_MONKEY_SEED=S runs only that seed (in the first case); HBAR_MONKEY_COMMANDS=N sets the length.
TEST_CASE("monkey, seed 1: a random walk over the command vocabulary never crashes, hangs, leaks or corrupts the state") {
  const unsigned long long only = env_number("HBAR_MONKEY_SEED", 0);
  walk(only ? only : 1, static_cast<int>(env_number("HBAR_MONKEY_COMMANDS", 1500)));
}

TEST_CASE("monkey, seed 2: a random walk over the command vocabulary never crashes, hangs, leaks or corrupts the state") {
  if (env_number("HBAR_MONKEY_SEED", 0)) return;
  walk(2, static_cast<int>(env_number("HBAR_MONKEY_COMMANDS", 1500)));
}
