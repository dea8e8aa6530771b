// libFuzzer entry: any text either loads as a session whose settings are inside the
// setting table's ranges (it saves and loads again to the same JSON), or raises
// SessionError naming the file.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "session.hpp"
#include "setting_table.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  try {
    const hbar::app::Session s = hbar::app::parse_session(text, "fuzz.json");
    // Every loaded value is one set_setting accepts again: the loader checks all.
    for (const hbar::app::SettingInfo& info : hbar::app::setting_table()) {
      hbar::app::Settings copy = s.settings;
      hbar::app::View view = s.view;
      if (!hbar::app::set_setting(copy, view, info.key, hbar::app::get_setting(s.settings, s.view, info.key)).empty())
        std::abort();
    }
    const auto& pts = s.settings.scene.points;
    if (pts && (pts->rows() < 2 || pts->rows() > hbar::app::kMaxDataPoints)) std::abort();
  } catch (const hbar::app::SessionError& e) {
    if (std::string(e.what()).rfind("fuzz.json: ", 0) != 0) std::abort();
  }
  return 0;
}
