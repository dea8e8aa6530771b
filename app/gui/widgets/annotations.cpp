#include "annotations.hpp"

#include <algorithm>

#include "colorbar.hpp"

namespace hbar::app {

void draw_annotations(ImDrawList* dl, ImFont* font, float fh, ImVec2 o, ImVec2 size, const Annotations& a) {
  const ImU32 text = a.light ? IM_COL32(20, 20, 20, 255) : IM_COL32(235, 235, 235, 255);
  const ImU32 box = a.light ? IM_COL32(255, 255, 255, 190) : IM_COL32(0, 0, 0, 140);
  const auto measure = [&](const std::string& s, float size_px, float wrap = 0) {
    return font->CalcTextSizeA(size_px, 1e9f, wrap, s.c_str());
  };
  // Colour bars: top right, each 30 % of the height (two fit above the legend).
  float by = o.y + 10;
  for (const Annotations::Bar& b : a.bars) {
    const float bh = size.y * 0.3f;
    colorbar(dl, font, fh, ImVec2(o.x + size.x - 10 * fh, by), bh, b.map, b.at0, b.at1, b.title, text, o.x + size.x);
    by += bh + 4 * fh;
  }
  // Legend: bottom left, on a box so it reads over paths.
  float legend_w = 0;
  if (!a.legend.empty()) {
    for (const Annotations::Item& it : a.legend) legend_w = std::max(legend_w, measure(it.text, fh).x);
    legend_w += 26 + 8;
    const float rows = static_cast<float>(a.legend.size());
    float ly = o.y + size.y - (rows * 1.2f + 0.8f) * fh;
    dl->AddRectFilled(ImVec2(o.x + 4, ly - 0.3f * fh), ImVec2(o.x + legend_w, ly + rows * 1.2f * fh), box, 4);
    for (const Annotations::Item& it : a.legend) {
      dl->AddCircleFilled(ImVec2(o.x + 16, ly + fh / 2), std::max(4.0f, fh / 3.5f), it.color);
      dl->AddText(font, fh, ImVec2(o.x + 26, ly), text, it.text.c_str());
      ly += fh * 1.2f;
    }
  }
  // Caption: top left, one line.
  if (!a.caption.empty()) {
    const ImVec2 sz = measure(a.caption, fh);
    const ImVec2 p(o.x + fh * 0.6f, o.y + fh * 0.5f);
    dl->AddRectFilled(ImVec2(p.x - 6, p.y - 3), ImVec2(p.x + sz.x + 6, p.y + sz.y + 3), box, 4);
    dl->AddText(font, fh, p, text, a.caption.c_str());
  }
  // Headline: at the bottom, right of the legend, wrapped, 1.25 × the text.
  if (!a.headline.empty()) {
    const float hs = fh * 1.25f;
    const float left = o.x + legend_w + fh, right = o.x + size.x - fh;
    const float wrap = std::clamp(right - left, 10 * fh, 46 * hs);
    const ImVec2 sz = measure(a.headline, hs, wrap);
    const float x = std::max(o.x + fh, left + std::max(0.0f, (right - left - sz.x) / 2));
    const float y = o.y + size.y - sz.y - 1.2f * fh;
    dl->AddRectFilled(ImVec2(x - 10, y - 8), ImVec2(x + sz.x + 10, y + sz.y + 8),
                      a.light ? IM_COL32(255, 255, 255, 225) : IM_COL32(15, 15, 20, 215), 6);
    dl->AddText(font, hs, ImVec2(x, y), text, a.headline.c_str(), nullptr, wrap);
  }
}

}  // namespace hbar::app
