#include "file_browser.hpp"

#include <imgui.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <stdexcept>
#include <utility>

#include "hbar/base/text.hpp"

namespace hbar::app {
namespace fs = std::filesystem;

std::vector<DirEntry> list_dir(const fs::path& dir, const std::vector<std::string>& exts) {
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) throw std::runtime_error(dir.string() + ": cannot list the folder (" + ec.message() + ")");
  std::vector<DirEntry> dirs, files;
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const std::string name = it->path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code e2;
    if (it->is_directory(e2)) {
      dirs.push_back({name, true});
    } else if (exts.empty() || std::find(exts.begin(), exts.end(), to_lower(it->path().extension().string())) != exts.end()) {
      files.push_back({name, false});
    }
  }
  const auto by_name = [](const DirEntry& a, const DirEntry& b) { return a.name < b.name; };
  std::sort(dirs.begin(), dirs.end(), by_name);
  std::sort(files.begin(), files.end(), by_name);
  std::vector<DirEntry> out;
  if (dir.has_parent_path() && dir != dir.root_path()) out.push_back({"..", true});
  out.insert(out.end(), dirs.begin(), dirs.end());
  out.insert(out.end(), files.begin(), files.end());
  return out;
}

void FileBrowser::open(std::string title, std::vector<std::string> command, std::vector<std::string> exts, bool save,
                       const std::string& start_dir, const std::string& default_name) {
  title_ = std::move(title);
  command_ = std::move(command);
  exts_ = std::move(exts);
  save_ = save;
  open_ = just_opened_ = true;
  confirm_ = false;
  std::snprintf(name_, sizeof name_, "%s", default_name.c_str());
  std::error_code ec;
  fs::path d = start_dir.empty() ? fs::current_path(ec) : fs::absolute(start_dir, ec);
  if (!fs::is_directory(d, ec)) d = fs::current_path(ec);
  go(d);
}

void FileBrowser::go(const fs::path& dir) {
  try {
    entries_ = list_dir(dir, exts_);
    dir_ = fs::weakly_canonical(dir);
    error_.clear();
  } catch (const std::exception& e) {
    error_ = e.what();  // stay where we were
  }
}

std::vector<std::string> FileBrowser::draw() {
  if (!open_) return {};
  if (just_opened_) {
    ImGui::OpenPopup(title_.c_str());
    just_opened_ = false;
  }
  std::vector<std::string> chosen;
  const ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowSize(ImVec2(std::min(640.0f, io.DisplaySize.x * 0.9f), std::min(460.0f, io.DisplaySize.y * 0.8f)),
                           ImGuiCond_Appearing);
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x / 2, io.DisplaySize.y / 2), ImGuiCond_Appearing, ImVec2(0.5f, 0.5f));
  bool keep = true;
  if (!ImGui::BeginPopupModal(title_.c_str(), &keep)) {
    open_ = false;
    return {};
  }
  // Places: home, the working folder, recent folders.
  std::vector<std::pair<std::string, fs::path>> places;
  if (const char* home = std::getenv("HOME")) places.push_back({"home", home});
  std::error_code ec;
  places.push_back({"here", fs::current_path(ec)});
  for (const auto& r : recent_) places.push_back({fs::path(r).filename().string(), r});
  for (std::size_t i = 0; i < places.size(); ++i) {
    if (i) ImGui::SameLine();
    if (ImGui::SmallButton((places[i].first + "##place" + std::to_string(i)).c_str())) go(places[i].second);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", places[i].second.string().c_str());
  }
  ImGui::TextWrapped("%s", dir_.string().c_str());
  if (!exts_.empty()) {
    std::string f = "showing";
    for (const auto& e : exts_) f += " *" + e;
    ImGui::SameLine();
    ImGui::TextDisabled("(%s)", f.c_str());
  }
  if (!error_.empty()) ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", error_.c_str());
  const float footer = ImGui::GetFrameHeightWithSpacing() * 2;
  fs::path pick;
  if (ImGui::BeginChild("##entries", ImVec2(0, -footer), true)) {
    for (const auto& e : entries_) {
      const std::string label = (e.is_dir ? "[dir] " : "      ") + e.name;
      if (ImGui::Selectable(label.c_str(), !e.is_dir && e.name == name_, ImGuiSelectableFlags_AllowDoubleClick)) {
        if (e.is_dir) {
          pick = e.name == ".." ? dir_.parent_path() : dir_ / e.name;
        } else {
          std::snprintf(name_, sizeof name_, "%s", e.name.c_str());
          if (ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) chosen = {"ok"};
        }
      }
    }
  }
  ImGui::EndChild();
  if (!pick.empty()) go(pick);
  ImGui::SetNextItemWidth(-140);
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();  // type a name at once
  const bool enter = ImGui::InputText("##name", name_, sizeof name_, ImGuiInputTextFlags_EnterReturnsTrue);
  ImGui::SameLine();
  const bool ok = ImGui::Button(save_ ? "Save" : "Open", ImVec2(60, 0)) || std::exchange(confirm_, false);
  ImGui::SameLine();
  const bool cancel = ImGui::Button("Cancel", ImVec2(60, 0));
  std::vector<std::string> result;
  if ((ok || enter || !chosen.empty()) && name_[0]) {
    // A typed path may be absolute or relative to the folder shown.
    const fs::path p = fs::path(name_).is_absolute() ? fs::path(name_) : dir_ / name_;
    if (!save_ && !fs::exists(p, ec)) {
      error_ = p.string() + ": no such file";
    } else {
      result = command_;
      result.push_back(p.string());
      const std::string folder = p.parent_path().string();
      recent_.erase(std::remove(recent_.begin(), recent_.end(), folder), recent_.end());
      recent_.insert(recent_.begin(), folder);
      if (recent_.size() > 8) recent_.resize(8);
      ImGui::CloseCurrentPopup();
      open_ = false;
    }
  }
  if (cancel || !keep) {
    ImGui::CloseCurrentPopup();
    open_ = false;
  }
  ImGui::EndPopup();
  return result;
}

}  // namespace hbar::app
