#include "colorbar.hpp"

#include <algorithm>
#include <cstdio>
#include <string>

#include "hbar/view/ticks.hpp"

namespace hbar::app {

void colorbar(ImDrawList* dl, ImFont* font, float font_size, ImVec2 pos, float height, Colormap map, double at0,
              double at1, const std::string& title, ImU32 text_color, float right_edge) {
  const float fh = font_size, w = std::max(14.0f, fh);
  const auto text = [&](ImVec2 p, const std::string& s) { dl->AddText(font, fh, p, text_color, s.c_str()); };
  const float tw = font->CalcTextSizeA(fh, 1e9f, 0, title.c_str()).x;
  text(ImVec2(std::min(pos.x, right_edge - tw - 6), pos.y), title);
  const ImVec2 top(pos.x, pos.y + fh * 1.3f);
  const int n = 64;
  for (int k = 0; k < n; ++k) {
    const auto c0 = colormap(map, 1.0 - static_cast<double>(k) / n);
    const float y = top.y + height * k / n;
    dl->AddRectFilled(ImVec2(top.x, y), ImVec2(top.x + w, y + height / n + 1), IM_COL32(c0[0], c0[1], c0[2], 255));
  }
  dl->AddRect(top, ImVec2(top.x + w, top.y + height), text_color);
  const auto label = [&](float y, const std::string& s) {
    dl->AddLine(ImVec2(top.x + w, y), ImVec2(top.x + w + 4, y), text_color);
    text(ImVec2(top.x + w + 6, y - fh / 2), s);
  };
  // Both ends say what they stand for; nice values between them, clear of the ends.
  const auto end_label = [](double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.3g", v);
    return std::string(buf);
  };
  const float y_top = top.y, y_bottom = top.y + height;
  label(y_top, end_label(at1));
  label(y_bottom, end_label(at0));
  const Ticks t = nice_ticks(std::min(at0, at1), std::max(at0, at1), 5);
  for (double v : t.values) {
    const double u = at1 != at0 ? (v - at0) / (at1 - at0) : 0.0;  // 0 at the bottom, 1 at the top
    const float y = top.y + static_cast<float>(1.0 - u) * height;
    if (y - y_top < 1.2f * fh || y_bottom - y < 1.2f * fh) continue;
    label(y, tick_label(v, t.step));
  }
}

}  // namespace hbar::app
