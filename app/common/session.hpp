#pragma once
// Session files (JSON): what was computed and how it was shown, replayed bit for bit
// by the app (`hbar --session F`, Open session, drop, `session load F`) and by
// hbar-cli (`--session F`).
//
//   { "hbar_session": 1,                    the format version
//     "settings": { "h": 0.25, "schedule": "simple", … },   every Settings key (set keys)
//     "view": { "frame": 500, "theme": "dark", … },         every View key
//     "data_points": [[x, y], …],          the scene's data, always embedded
//     "model_checksum": "fnv1a64:…" }      with a learned score: the model file's checksum
//
// Built-in data are drawn again from (data, data-n, data-seed); a loaded or drawn data
// set (data-file set) replays from the embedded points, so the file need not exist.
#include <stdexcept>
#include <string>

#include "hbar/base/text.hpp"

#include "settings.hpp"

namespace hbar::app {

inline constexpr int kSessionVersion = 1;

// "F.json: settings.h: must be a number in [0, 10], got '-1'": file, key, reason.
// The message's control bytes are spelled out (hbar/base/text.hpp: a NUL in a JSON string
// does not cut it short).
struct SessionError : std::runtime_error {
  explicit SessionError(const std::string& what) : std::runtime_error(printable(what)) {}
};

// Writes atomically. `data` is the scene's data (embedded).
void save_session(const std::string& path, const Settings& s, const View& v, const Points& data);
std::string session_json(const Settings& s, const View& v, const Points& data);

// Reads and checks everything before anything is used: not JSON, another version, an
// unknown key, a wrong type, a value out of range, missing points for a file's data,
// a missing or changed model file. Keys absent from the file keep `base`'s values.
struct Session {
  Settings settings;
  View view;
};
Session load_session(const std::string& path, const Settings& base = {}, const View& base_view = {});
// The same from the file's text; `path` names it in every message (the fuzz target's entry).
Session parse_session(const std::string& text, const std::string& path, const Settings& base = {},
                      const View& base_view = {});

}  // namespace hbar::app
