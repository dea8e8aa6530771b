#include <cmath>
#include "session.hpp"

#include "hbar/io/read_file.hpp"

#include <filesystem>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <vector>

#include "hbar/io/output.hpp"
#include "hbar/score/learned_score.hpp"
#include "paper_models.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

using nlohmann::json;

json typed(const SettingInfo& info, const std::string& text) {
  switch (info.kind) {
    case ValueKind::kNumber: {
      double d = 0;
      parse_number(text, d);
      return d;
    }
    case ValueKind::kInteger: {
      long long n = 0;
      parse_integer(text, n);
      return n;
    }
    case ValueKind::kBool: return text == "on";
    default: return text;
  }
}

const char* type_name(const json& j) {
  switch (j.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "a number";
  }
}

// The JSON value as the text set_setting reads, or why its type is wrong.
std::string as_text(const SettingInfo& info, const json& j, std::string& why) {
  switch (info.kind) {
    case ValueKind::kNumber:
      if (j.is_number()) return format_number(j.get<double>());
      why = std::string("expected a number, got ") + type_name(j);
      return "";
    case ValueKind::kInteger:
      if (j.is_number_integer()) return j.is_number_unsigned() ? std::to_string(j.get<unsigned long long>())
                                                              : std::to_string(j.get<long long>());
      // A whole number in any exact spelling: 1e3, 1000.0 and 1.0e3 are 1000.
      if (j.is_number_float()) {
        const double d = j.get<double>();
        if (std::floor(d) == d && std::abs(d) <= 9007199254740992.0) return std::to_string(static_cast<long long>(d));
      }
      why = std::string("expected a whole number, got ") + (j.is_number() ? j.dump() : type_name(j));
      return "";
    case ValueKind::kBool:
      if (j.is_boolean()) return j.get<bool>() ? "on" : "off";
      why = std::string("expected true or false, got ") + type_name(j);
      return "";
    default:
      if (j.is_string()) return j.get<std::string>();
      why = std::string("expected a string, got ") + type_name(j);
      return "";
  }
}

std::string read_text(const std::string& path) {
  std::string text;
  try {
    text = read_file_text(path, "a session file");
  } catch (const FileReadError& e) {
    throw SessionError(e.what());
  }
  return text;
}

}  // namespace

std::string session_json(const Settings& s, const View& v, const Points& data) {
  json j;
  j["hbar_session"] = kSessionVersion;
  json& js = j["settings"] = json::object();
  json& jv = j["view"] = json::object();
  for (const SettingInfo& info : setting_table()) (info.view ? jv : js)[info.key] = typed(info, get_setting(s, v, info.key));
  json pts = json::array();
  for (Eigen::Index i = 0; i < data.rows(); ++i) pts.push_back({data(i, 0), data(i, 1)});
  j["data_points"] = std::move(pts);
  // Drawn data has no other source: the points are the data.
  if (s.scene.points && s.scene.data_file.empty()) j["data_drawn"] = true;
  if (s.scene.learned) j["model_checksum"] = model_file_checksum(model_file_of(s.scene));
  return j.dump(1);
}

void save_session(const std::string& path, const Settings& s, const View& v, const Points& data) {
  const std::string text = session_json(s, v, data);
  write_file_atomic(path, [&](std::ostream& o) { o << text << '\n'; });
}

Session load_session(const std::string& path, const Settings& base, const View& base_view) {
  return parse_session(read_text(path), path, base, base_view);
}

Session parse_session(const std::string& text, const std::string& path, const Settings& base, const View& base_view) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) throw SessionError(path + ": empty file, not a session");
  json j;
  // A key given twice in one object is refused by name (nlohmann would keep the last one).
  std::vector<std::set<std::string>> keys;  // of each object being read
  std::vector<std::string> where;            // the key path to it
  std::string duplicate;
  const auto watch = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        where.emplace_back();
        break;
      case json::parse_event_t::object_end:
        keys.pop_back();
        where.pop_back();
        break;
      case json::parse_event_t::key: {
        const std::string k = parsed.get<std::string>();
        if (!keys.back().insert(k).second && duplicate.empty()) {
          for (std::size_t i = 0; i + 1 < where.size(); ++i)
            if (!where[i].empty()) duplicate += where[i] + ".";
          duplicate += k;
        }
        where.back() = k;
        break;
      }
      default: break;
    }
    return true;
  };
  try {
    j = json::parse(text, watch);
  } catch (const json::exception& e) {  // a syntax error, or a number beyond double (out_of_range)
    throw SessionError(path + ": not JSON (" + e.what() + ")");
  }
  if (!duplicate.empty()) throw SessionError(path + ": " + duplicate + ": the key is given twice (give each key once)");
  const auto fail = [&](const std::string& key, const std::string& why) {
    throw SessionError(path + ": " + key + ": " + why);
  };
  if (!j.is_object() || !j.contains("hbar_session")) throw SessionError(path + ": not an hbar session (no 'hbar_session' key)");
  if (!j["hbar_session"].is_number_integer() || j["hbar_session"].get<long long>() != kSessionVersion)
    fail("hbar_session", "version " + j["hbar_session"].dump() + ", this hbar reads version " +
                             std::to_string(kSessionVersion));
  for (auto it = j.begin(); it != j.end(); ++it)
    if (it.key() != "hbar_session" && it.key() != "settings" && it.key() != "view" && it.key() != "data_points" &&
        it.key() != "model_checksum" && it.key() != "data_drawn")
      fail(it.key(), "unknown key");

  Session out{base, base_view};
  for (const char* part : {"settings", "view"}) {
    if (!j.contains(part)) continue;
    const json& obj = j[part];
    if (!obj.is_object()) fail(part, std::string("expected an object, got ") + type_name(obj));
    const bool view = std::string(part) == "view";
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      const SettingInfo* info = find_setting(it.key());
      if (!info || info->view != view) fail(std::string(part) + "." + it.key(), "unknown key");
    }
    // In the table's order (a model before the score that needs it).
    for (const SettingInfo& info : setting_table()) {
      if (info.view != view || !obj.contains(info.key)) continue;
      const std::string key = std::string(part) + "." + info.key;
      std::string why;
      const std::string value = as_text(info, obj[info.key], why);
      if (!why.empty()) fail(key, why);
      const std::string err = set_setting(out.settings, out.view, info.key, value);
      if (!err.empty()) fail(key, err);
    }
  }

  SceneSettings& sc = out.settings.scene;
  sc.points.reset();
  bool drawn = false;
  if (j.contains("data_drawn")) {
    if (!j["data_drawn"].is_boolean()) fail("data_drawn", std::string("expected true or false, got ") + type_name(j["data_drawn"]));
    drawn = j["data_drawn"].get<bool>();
    if (drawn && !sc.data_file.empty()) fail("data_drawn", "drawn data cannot also come from '" + sc.data_file + "'");
  }
  if (!sc.data_file.empty() || drawn) {
    // A file's data (and drawn data) replays from the embedded points.
    if (!j.contains("data_points"))
      fail("data_points", drawn ? std::string("missing (the drawn data)")
                                : "missing (needed for the data of '" + sc.data_file + "')");
    const json& a = j["data_points"];
    if (!a.is_array() || a.size() < 2 || a.size() > static_cast<std::size_t>(kMaxDataPoints))
      fail("data_points", "expected an array of 2 … " + std::to_string(kMaxDataPoints) + " points [x, y]");
    auto pts = std::make_shared<Points>(static_cast<Eigen::Index>(a.size()), 2);
    for (std::size_t i = 0; i < a.size(); ++i) {
      const json& p = a[i];
      if (!p.is_array() || p.size() != 2 || !p[0].is_number() || !p[1].is_number())
        fail("data_points[" + std::to_string(i) + "]", "expected [x, y] with two numbers");
      (*pts)(static_cast<Eigen::Index>(i), 0) = p[0].get<double>();
      (*pts)(static_cast<Eigen::Index>(i), 1) = p[1].get<double>();
      if (std::abs(p[0].get<double>()) > kMaxCoordinate || std::abs(p[1].get<double>()) > kMaxCoordinate)
        fail("data_points[" + std::to_string(i) + "]",
             "a coordinate beyond ±1e6 (data are expected near the unit scale)");
    }
    sc.points = std::move(pts);
  }
  if (sc.learned) {
    std::string sum;
    try {
      sum = model_file_checksum(model_file_of(sc));
    } catch (const std::exception& e) {
      fail("settings.model", e.what());
    }
    if (j.contains("model_checksum")) {
      if (!j["model_checksum"].is_string()) fail("model_checksum", "expected a string");
      if (j["model_checksum"].get<std::string>() != sum)
        fail("model_checksum", "the model file " + sc.model_path + " has changed since the session was saved (" +
                                   sum + ", the session says " + j["model_checksum"].get<std::string>() + ")");
    }
  }
  return out;
}

}  // namespace hbar::app
