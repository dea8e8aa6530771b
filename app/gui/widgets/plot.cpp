#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hbar/ticks.hpp"

namespace hbar::app {

namespace {

// The plot area and its data → pixel maps.
struct Frame {
  ImVec2 a, b;  // plot area corners (top-left, bottom-right)
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  float X(double v) const { return static_cast<float>(a.x + (v - x0) / (x1 - x0) * (b.x - a.x)); }
  float Y(double v) const { return static_cast<float>(b.y - (v - y0) / (y1 - y0) * (b.y - a.y)); }
};

// Ranges that hold every point with its error bar, and head-room for the legend in the
// top-right corner so that it does not hide the data.
void fit_ranges(Frame& f, const PlotSpec& spec, const std::vector<Curve>& curves, ImVec2 size, float fh) {
  std::vector<double> xs, ys;
  for (const auto& c : curves)
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      xs.push_back(c.x[i]);
      const double e = c.err.empty() ? 0.0 : c.err[i];
      ys.push_back(c.y[i] - e);
      ys.push_back(c.y[i] + e);
    }
  std::tie(f.x0, f.x1) = padded_range(xs, 0.02);
  if (std::isfinite(spec.xmin) && std::isfinite(spec.xmax) && spec.xmax > spec.xmin) {
    f.x0 = spec.xmin;
    f.x1 = spec.xmax;
  }
  std::tie(f.y0, f.y1) = padded_range(ys, 0.08);
  const float plot_px = std::max(1.0f, size.y - 5.0f * fh);
  const float legend_px = fh * (1.1f * static_cast<float>(curves.size()) + 0.5f);
  if (!curves.empty() && legend_px < 0.6f * plot_px) f.y1 = f.y0 + (f.y1 - f.y0) * plot_px / (plot_px - legend_px);
}

void draw_axes(ImDrawList* dl, const Frame& f, const PlotSpec& spec, ImVec2 p0, float fh, ImU32 fg, ImU32 grid) {
  const Ticks tx = nice_ticks(f.x0, f.x1, std::max(2, static_cast<int>((f.b.x - f.a.x) / (4.5f * fh))));
  const Ticks ty = nice_ticks(f.y0, f.y1, std::max(2, static_cast<int>((f.b.y - f.a.y) / (1.8f * fh))));
  dl->AddRect(f.a, f.b, fg);
  for (double v : tx.values) {
    dl->AddLine(ImVec2(f.X(v), f.a.y), ImVec2(f.X(v), f.b.y), grid);
    const std::string s = tick_label(v, tx.step);
    dl->AddText(ImVec2(f.X(v) - ImGui::CalcTextSize(s.c_str()).x / 2, f.b.y + 0.2f * fh), fg, s.c_str());
  }
  for (double v : ty.values) {
    dl->AddLine(ImVec2(f.a.x, f.Y(v)), ImVec2(f.b.x, f.Y(v)), grid);
    const std::string s = tick_label(v, ty.step);
    dl->AddText(ImVec2(f.a.x - ImGui::CalcTextSize(s.c_str()).x - 0.3f * fh, f.Y(v) - fh / 2), fg, s.c_str());
  }
  dl->AddText(ImVec2((f.a.x + f.b.x) / 2 - ImGui::CalcTextSize(spec.xlabel.c_str()).x / 2, f.b.y + 1.2f * fh), fg,
              spec.xlabel.c_str());
  dl->AddText(ImVec2(p0.x + 0.2f * fh, f.a.y - 1.3f * fh), fg, spec.ylabel.c_str());
}

// Lines, markers and error bars of every series, clipped to the plot area.
void draw_series(ImDrawList* dl, const Frame& f, const std::vector<Curve>& curves) {
  for (const auto& c : curves) {
    dl->PushClipRect(f.a, f.b, true);
    for (std::size_t i = 0; i + 1 < c.x.size(); ++i)
      dl->AddLine(ImVec2(f.X(c.x[i]), f.Y(c.y[i])), ImVec2(f.X(c.x[i + 1]), f.Y(c.y[i + 1])), c.color, 2.0f);
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      if (!c.err.empty()) {
        const float xx = f.X(c.x[i]), lo = f.Y(c.y[i] - c.err[i]), hi = f.Y(c.y[i] + c.err[i]);
        dl->AddLine(ImVec2(xx, lo), ImVec2(xx, hi), c.color, 1.5f);
        dl->AddLine(ImVec2(xx - 3, lo), ImVec2(xx + 3, lo), c.color);
        dl->AddLine(ImVec2(xx - 3, hi), ImVec2(xx + 3, hi), c.color);
      }
      if (c.x.size() < 30) dl->AddCircleFilled(ImVec2(f.X(c.x[i]), f.Y(c.y[i])), 2.5f, c.color);
    }
    dl->PopClipRect();
  }
}

// The legend on a backing box in the top-right corner.
void draw_legend(ImDrawList* dl, const Frame& f, const std::vector<Curve>& curves, float fh, ImU32 fg, bool light) {
  if (curves.empty()) return;
  float legend_w = 0;
  for (const auto& c : curves) legend_w = std::max(legend_w, ImGui::CalcTextSize(c.label.c_str()).x);
  const float lx = std::max(f.a.x + 0.3f * fh, f.b.x - legend_w - 1.8f * fh);
  float ly = f.a.y + 0.3f * fh;
  dl->AddRectFilled(ImVec2(lx - 0.2f * fh, ly - 0.1f * fh),
                    ImVec2(f.b.x - 0.1f * fh, ly + fh * 1.1f * static_cast<float>(curves.size())),
                    light ? IM_COL32(255, 255, 255, 190) : IM_COL32(20, 20, 24, 190));
  for (const auto& c : curves) {
    dl->AddLine(ImVec2(lx, ly + fh / 2), ImVec2(lx + fh, ly + fh / 2), c.color, 2.0f);
    dl->AddText(ImVec2(lx + 1.3f * fh, ly), fg, c.label.c_str());
    ly += fh * 1.1f;
  }
}

// Hover read-out: every series at the nearest x.
void hover_readout(ImDrawList* dl, const Frame& f, const std::vector<Curve>& curves, ImU32 grid) {
  const ImVec2 m = ImGui::GetIO().MousePos;
  const double xv = f.x0 + (m.x - f.a.x) / (f.b.x - f.a.x) * (f.x1 - f.x0);
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
  dl->AddLine(ImVec2(m.x, f.a.y), ImVec2(m.x, f.b.y), grid);
}

}  // namespace

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
  dl->AddText(ImVec2(p0.x + 0.2f * fh, p0.y), fg, spec.title.c_str());

  // The plot area inside margins for ticks and labels.
  Frame f;
  f.a = ImVec2(p0.x + 4.2f * fh, p0.y + 2.6f * fh);
  f.b = ImVec2(p0.x + size.x - 0.6f * fh, p0.y + size.y - 2.4f * fh);
  fit_ranges(f, spec, curves, size, fh);
  dl->PushClipRect(p0, ImVec2(p0.x + size.x, p0.y + size.y), true);
  draw_axes(dl, f, spec, p0, fh, fg, grid);
  draw_series(dl, f, curves);
  draw_legend(dl, f, curves, fh, fg, spec.light);
  if (hovered && !curves.empty()) hover_readout(dl, f, curves, grid);
  dl->PopClipRect();
  ImGui::PopID();
}

}  // namespace hbar::app
