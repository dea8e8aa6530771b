#pragma once
// Every setting a user can give — script `set KEY VALUE`, panels, keys, session keys —
// parsed and range-checked here and nowhere else (ARCHITECTURE.md rules 11, 14).
// A refused value changes nothing and the message names the key and its range.
#include <string>
#include <vector>

#include "settings.hpp"

namespace hbar::app {

enum class ValueKind { kNumber, kInteger, kBool, kChoice, kText };

struct SettingInfo {
  const char* key;    // the script's and the session's name
  ValueKind kind;
  bool view;          // part of View (else Settings)
  const char* range;  // "0 … 10", "simple | cosine": for messages and the README table
  const char* what;   // one line for the README and tooltips
};

// Limits that keep one request within memory and time on a small machine.
inline constexpr double kMaxH = 10.0;
inline constexpr int kMaxParticles = 20000, kMaxSteps = 5000;
inline constexpr long long kMaxParticleSteps = 20'000'000;  // particles × steps: ~0.3 GB of stride-1 frames
inline constexpr int kMaxDataPoints = 100000, kMaxLines = 20000;
inline constexpr int kMaxTrainSteps = 10'000'000, kMaxTrainWidth = 1024, kMaxTrainDepth = 16;
inline constexpr int kMinNllCells = 16, kMaxNllCells = 640;

const std::vector<SettingInfo>& setting_table();
const SettingInfo* find_setting(const std::string& key);

// Sets `key` from its text; returns "" or why it was refused (nothing changed then).
std::string set_setting(Settings& s, View& v, const std::string& key, const std::string& value);
// The value as text, in the form set_setting reads back exactly (17 digits for numbers).
std::string get_setting(const Settings& s, const View& v, const std::string& key);

// Parses a whole number / a finite number; false when the text is not one.
bool parse_integer(const std::string& text, long long& out);
bool parse_number(const std::string& text, double& out);
std::string format_number(double v);  // "%.17g": read back bit for bit

// "exact score", "biased score", "learned score" for these settings.
const char* score_kind(const SceneSettings& s);

// "swissroll_simple", "mydata_cosine", "drawn_simple": from the settings alone (an
// export named in the frame the data changes names the new data).
std::string scene_label(const SceneSettings& s);

}  // namespace hbar::app
