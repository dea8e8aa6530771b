#include <imgui.h>

#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {

void set_key(UiState& ui, const char* key, const std::string& value) { ui.push({"set", key, value}); }

bool checkbox_key(UiState& ui, const char* label, const char* key, bool value) {
  const bool changed = ImGui::Checkbox(label, &value);
  if (changed) set_key(ui, key, value ? "on" : "off");
  return changed;
}

}  // namespace hbar::app
