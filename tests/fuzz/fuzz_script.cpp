// libFuzzer entry: any text parses as a script, and each of its commands is applied
// to the app's state (no window, no tasks: a sink that only records) — applied or
// refused with a reason, never a crash; the settings stay inside their ranges.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "app_state.hpp"
#include "commands.hpp"
#include "scenario.hpp"
#include "setting_table.hpp"

namespace {
using namespace hbar::app;

struct Sink final : CommandSink {
  void start_task(TaskKind) override {}
  void cancel_task(TaskKind) override {}
  void pause_training(bool) override {}
  std::string export_file(const std::string&, const std::string& path) override { return path; }
  std::string save_session(const std::string& path) override { return path; }
  void export_animation(const std::string&, const std::string&, int frames, int fps) override {
    if (frames < 2 || fps < 1) std::abort();
  }
  void load_session(const std::string&) override {}
  void recover(bool) override { throw std::runtime_error("there is no session to recover"); }
  void offer_recovery() override {}
  void host_command(const HostRequest&) override { throw std::runtime_error("no window"); }
  std::shared_ptr<const hbar::Points> data_points() const override { return data; }
  std::shared_ptr<const hbar::Points> data = std::make_shared<hbar::Points>(hbar::Points::Zero(3, 2));
};
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Scenario script(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.hbs");
  UiState ui;
  Sink sink;
  for (const Command& c : script.commands()) {
    if (c.origin.rfind("script fuzz.hbs:", 0) != 0) std::abort();
    const std::string err = apply_command(ui, sink, c);
    (void)err;
    if (ui.settings.scene.points) sink.data = ui.settings.scene.points;
  }
  for (const SettingInfo& info : setting_table()) {
    Settings copy = ui.settings;
    View view = ui.view;
    if (!set_setting(copy, view, info.key, get_setting(ui.settings, ui.view, info.key)).empty()) std::abort();
  }
  return 0;
}
