#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hbar/ticks.hpp"

namespace hbar::app {

void plot(const PlotSpec& spec, const std::vector<Curve>& curves) {
  ImGui::PushID(spec.id);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImVec2 p0 = ImGui::GetCursorScreenPos();
  const ImVec2 size(std::max(spec.size.x, 120.0f), std::max(spec.size.y, 80.0f));
  ImGui::InvisibleButton("plot", size);
  const bool hovered = ImGui::IsItemHovered();
  const float fh = ImGui::GetFontSize();
  const ImU32 fg = spec.light ? IM_COL32(30, 30, 30, 255) : IM_COL32(220, 220, 220, 255);
  const ImU32 grid = spec.light ? IM_COL32(0, 0, 0, 30) : IM_COL32(255, 255, 255, 28);

  // Plot area inside margins for ticks and labels.
  const ImVec2 a(p0.x + 4.2f * fh, p0.y + 2.6f * fh);
  const ImVec2 b(p0.x + size.x - 0.6f * fh, p0.y + size.y - 2.4f * fh);
  dl->AddText(ImVec2(p0.x + 0.2f * fh, p0.y), fg, spec.title.c_str());

  std::vector<double> xs, ys;
  for (const auto& c : curves)
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      xs.push_back(c.x[i]);
      const double e = c.err.empty() ? 0.0 : c.err[i];
      ys.push_back(c.y[i] - e);
      ys.push_back(c.y[i] + e);
    }
  auto [x0, x1] = padded_range(xs, 0.02);
  if (std::isfinite(spec.xmin) && std::isfinite(spec.xmax) && spec.xmax > spec.xmin) {
    x0 = spec.xmin;
    x1 = spec.xmax;
  }
  auto [y0, y1] = padded_range(ys, 0.08);
  // Head-room for the legend in the top-right corner, so it does not hide the data.
  const float plot_px = std::max(1.0f, size.y - 5.0f * fh);
  const float legend_px = fh * (1.1f * static_cast<float>(curves.size()) + 0.5f);
  if (!curves.empty() && legend_px < 0.6f * plot_px) y1 = y0 + (y1 - y0) * plot_px / (plot_px - legend_px);
  const Ticks tx = nice_ticks(x0, x1, std::max(2, static_cast<int>((b.x - a.x) / (4.5f * fh))));
  const Ticks ty = nice_ticks(y0, y1, std::max(2, static_cast<int>((b.y - a.y) / (1.8f * fh))));
  const auto X = [&](double v) { return static_cast<float>(a.x + (v - x0) / (x1 - x0) * (b.x - a.x)); };
  const auto Y = [&](double v) { return static_cast<float>(b.y - (v - y0) / (y1 - y0) * (b.y - a.y)); };

  dl->PushClipRect(p0, ImVec2(p0.x + size.x, p0.y + size.y), true);
  dl->AddRect(a, b, fg);
  for (double v : tx.values) {
    dl->AddLine(ImVec2(X(v), a.y), ImVec2(X(v), b.y), grid);
    const std::string s = tick_label(v, tx.step);
    dl->AddText(ImVec2(X(v) - ImGui::CalcTextSize(s.c_str()).x / 2, b.y + 0.2f * fh), fg, s.c_str());
  }
  for (double v : ty.values) {
    dl->AddLine(ImVec2(a.x, Y(v)), ImVec2(b.x, Y(v)), grid);
    const std::string s = tick_label(v, ty.step);
    dl->AddText(ImVec2(a.x - ImGui::CalcTextSize(s.c_str()).x - 0.3f * fh, Y(v) - fh / 2), fg, s.c_str());
  }
  dl->AddText(ImVec2((a.x + b.x) / 2 - ImGui::CalcTextSize(spec.xlabel.c_str()).x / 2, b.y + 1.2f * fh), fg,
              spec.xlabel.c_str());
  dl->AddText(ImVec2(p0.x + 0.2f * fh, a.y - 1.3f * fh), fg, spec.ylabel.c_str());

  // Series, error bars; then the legend on a backing box in the top-right corner.
  float legend_w = 0;
  for (const auto& c : curves) legend_w = std::max(legend_w, ImGui::CalcTextSize(c.label.c_str()).x);
  const float lx = std::max(a.x + 0.3f * fh, b.x - legend_w - 1.8f * fh);
  float ly = a.y + 0.3f * fh;
  for (const auto& c : curves) {
    dl->PushClipRect(a, b, true);
    for (std::size_t i = 0; i + 1 < c.x.size(); ++i)
      dl->AddLine(ImVec2(X(c.x[i]), Y(c.y[i])), ImVec2(X(c.x[i + 1]), Y(c.y[i + 1])), c.color, 2.0f);
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      if (!c.err.empty()) {
        const float xx = X(c.x[i]);
        dl->AddLine(ImVec2(xx, Y(c.y[i] - c.err[i])), ImVec2(xx, Y(c.y[i] + c.err[i])), c.color, 1.5f);
        dl->AddLine(ImVec2(xx - 3, Y(c.y[i] - c.err[i])), ImVec2(xx + 3, Y(c.y[i] - c.err[i])), c.color);
        dl->AddLine(ImVec2(xx - 3, Y(c.y[i] + c.err[i])), ImVec2(xx + 3, Y(c.y[i] + c.err[i])), c.color);
      }
      if (c.x.size() < 30) dl->AddCircleFilled(ImVec2(X(c.x[i]), Y(c.y[i])), 2.5f, c.color);
    }
    dl->PopClipRect();
  }
  if (!curves.empty())
    dl->AddRectFilled(ImVec2(lx - 0.2f * fh, ly - 0.1f * fh),
                      ImVec2(b.x - 0.1f * fh, ly + fh * 1.1f * static_cast<float>(curves.size())),
                      spec.light ? IM_COL32(255, 255, 255, 190) : IM_COL32(20, 20, 24, 190));
  for (const auto& c : curves) {
    dl->AddLine(ImVec2(lx, ly + fh / 2), ImVec2(lx + fh, ly + fh / 2), c.color, 2.0f);
    dl->AddText(ImVec2(lx + 1.3f * fh, ly), fg, c.label.c_str());
    ly += fh * 1.1f;
  }

  // Hover read-out: every series at the nearest x.
  if (hovered && !curves.empty()) {
    const ImVec2 m = ImGui::GetIO().MousePos;
    const double xv = x0 + (m.x - a.x) / (b.x - a.x) * (x1 - x0);
    ImGui::BeginTooltip();
    for (const auto& c : curves) {
      if (c.x.empty()) continue;
      std::size_t best = 0;
      for (std::size_t i = 1; i < c.x.size(); ++i)
        if (std::abs(c.x[i] - xv) < std::abs(c.x[best] - xv)) best = i;
      if (c.err.empty())
        ImGui::Text("%s: x = %.4g, y = %.5g", c.label.c_str(), c.x[best], c.y[best]);
      else
        ImGui::Text("%s: x = %.4g, y = %.5g ± %.2g", c.label.c_str(), c.x[best], c.y[best], c.err[best]);
    }
    ImGui::EndTooltip();
    dl->AddLine(ImVec2(m.x, a.y), ImVec2(m.x, b.y), grid);
  }
  dl->PopClipRect();
  ImGui::PopID();
}

}  // namespace hbar::app
