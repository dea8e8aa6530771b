#include "task.hpp"

#include <array>
#include <atomic>

namespace hbar::app {
namespace {
std::array<std::atomic<bool>, kTaskKinds> g_inject{};
}

void inject_task_failure(TaskKind k) { g_inject[static_cast<std::size_t>(k)].store(true); }

bool take_injected_failure(TaskKind k) { return g_inject[static_cast<std::size_t>(k)].exchange(false); }

const char* task_name(TaskKind k) {
  switch (k) {
    case TaskKind::kScene: return "scene";
    case TaskKind::kRun: return "full run";
    case TaskKind::kCompare: return "comparison run";
    case TaskKind::kHeat: return "heat map";
    case TaskKind::kSweep: return "W2 sweep";
    case TaskKind::kNll: return "NLL(h)";
    case TaskKind::kTrain: return "training";
    case TaskKind::kAnimation: return "animation export";
    case TaskKind::kSpaceTime: return "space-time density";
    case TaskKind::kExport: return "export";
    case TaskKind::kSession: return "session";
    case TaskKind::kAutosave: return "autosave";
  }
  return "task";
}

}  // namespace hbar::app
