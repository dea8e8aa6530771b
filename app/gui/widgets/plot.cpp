#include "plot.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "hbar/view/ticks.hpp"

namespace hbar::app {

namespace {

// Where a plot draws: the window's ImDrawList, or an SVG document (the same layout,
// vector output for figures).
class Painter {
 public:
  virtual ~Painter() = default;
  virtual void line(ImVec2 a, ImVec2 b, ImU32 c, float w = 1.0f) = 0;
  virtual void polyline(const std::vector<ImVec2>& p, ImU32 c, float w, const std::string& id) = 0;
  virtual void rect(ImVec2 a, ImVec2 b, ImU32 c) = 0;
  virtual void rect_filled(ImVec2 a, ImVec2 b, ImU32 c) = 0;
  virtual void dot(ImVec2 p, float r, ImU32 c) = 0;
  virtual void text(ImVec2 p, ImU32 c, const std::string& s) = 0;
  virtual void push_clip(ImVec2 a, ImVec2 b) = 0;
  virtual void pop_clip() = 0;
  // Width of a text in pixels at the font size.
  float width(const std::string& s) const {
    if (ImGui::GetCurrentContext() && ImGui::GetFont() && ImGui::GetFont()->IsLoaded())
      return ImGui::CalcTextSize(s.c_str()).x;
    return 0.55f * font * static_cast<float>(s.size());  // DejaVu Sans, about
  }
  float font = 15.0f;
};

class DrawListPainter final : public Painter {
 public:
  explicit DrawListPainter(ImDrawList* dl) : dl_(dl) { font = ImGui::GetFontSize(); }
  void line(ImVec2 a, ImVec2 b, ImU32 c, float w) override { dl_->AddLine(a, b, c, w); }
  void polyline(const std::vector<ImVec2>& p, ImU32 c, float w, const std::string&) override {
    if (p.size() >= 2) dl_->AddPolyline(p.data(), static_cast<int>(p.size()), c, 0, w);
  }
  void rect(ImVec2 a, ImVec2 b, ImU32 c) override { dl_->AddRect(a, b, c); }
  void rect_filled(ImVec2 a, ImVec2 b, ImU32 c) override { dl_->AddRectFilled(a, b, c); }
  void dot(ImVec2 p, float r, ImU32 c) override { dl_->AddCircleFilled(p, r, c); }
  void text(ImVec2 p, ImU32 c, const std::string& s) override { dl_->AddText(p, c, s.c_str()); }
  void push_clip(ImVec2 a, ImVec2 b) override { dl_->PushClipRect(a, b, true); }
  void pop_clip() override { dl_->PopClipRect(); }

 private:
  ImDrawList* dl_;
};

std::string svg_colour(ImU32 c) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "fill=\"#%02x%02x%02x\" fill-opacity=\"%.3f\"", c & 0xff, (c >> 8) & 0xff,
                (c >> 16) & 0xff, ((c >> 24) & 0xff) / 255.0);
  return buf;
}

std::string svg_stroke(ImU32 c, float w) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "stroke=\"#%02x%02x%02x\" stroke-opacity=\"%.3f\" stroke-width=\"%.2f\"", c & 0xff,
                (c >> 8) & 0xff, (c >> 16) & 0xff, ((c >> 24) & 0xff) / 255.0, w);
  return buf;
}

std::string xml_escape(const std::string& s) {
  std::string o;
  for (char ch : s) {
    if (ch == '&') o += "&amp;";
    else if (ch == '<') o += "&lt;";
    else if (ch == '>') o += "&gt;";
    else if (ch == '"') o += "&quot;";
    else o += ch;
  }
  return o;
}

// SVG 1.1: lines, one <path> per series (its id the curve's), text in DejaVu Sans.
class SvgPainter final : public Painter {
 public:
  std::string body;
  void line(ImVec2 a, ImVec2 b, ImU32 c, float w) override {
    char buf[160];
    std::snprintf(buf, sizeof buf, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" ", a.x, a.y, b.x, b.y);
    body += buf + svg_stroke(c, w) + "/>\n";
  }
  void polyline(const std::vector<ImVec2>& p, ImU32 c, float w, const std::string& id) override {
    if (p.empty()) return;
    body += "<path class=\"series\" id=\"" + xml_escape(id) + "\" fill=\"none\" " + svg_stroke(c, w) +
            " stroke-linejoin=\"round\" d=\"";
    char buf[64];
    for (std::size_t i = 0; i < p.size(); ++i) {
      std::snprintf(buf, sizeof buf, "%s%.2f %.2f ", i ? "L" : "M", p[i].x, p[i].y);
      body += buf;
    }
    body += "\"/>\n";
  }
  void rect(ImVec2 a, ImVec2 b, ImU32 c) override {
    char buf[160];
    std::snprintf(buf, sizeof buf, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"none\" ", a.x,
                  a.y, b.x - a.x, b.y - a.y);
    body += buf + svg_stroke(c, 1) + "/>\n";
  }
  void rect_filled(ImVec2 a, ImVec2 b, ImU32 c) override {
    char buf[160];
    std::snprintf(buf, sizeof buf, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" ", a.x, a.y, b.x - a.x,
                  b.y - a.y);
    body += buf + svg_colour(c) + "/>\n";
  }
  void dot(ImVec2 p, float r, ImU32 c) override {
    char buf[128];
    std::snprintf(buf, sizeof buf, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"%.2f\" ", p.x, p.y, r);
    body += buf + svg_colour(c) + "/>\n";
  }
  void text(ImVec2 p, ImU32 c, const std::string& s) override {
    char buf[128];
    // ImGui places text by its top; SVG by its baseline (~0.8 em below).
    std::snprintf(buf, sizeof buf, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.1f\" ", p.x, p.y + 0.8f * font, font);
    body += buf + svg_colour(c) + ">" + xml_escape(s) + "</text>\n";
  }
  void push_clip(ImVec2 a, ImVec2 b) override {
    char buf[200];
    std::snprintf(buf, sizeof buf,
                  "<clipPath id=\"c%d\"><rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\"/></clipPath>\n"
                  "<g clip-path=\"url(#c%d)\">\n",
                  clips_, a.x, a.y, b.x - a.x, b.y - a.y, clips_);
    body += buf;
    ++clips_;
  }
  void pop_clip() override { body += "</g>\n"; }

 private:
  int clips_ = 0;
};

// On a light (print) background, light series colours are darkened to read.
ImU32 for_theme(ImU32 c, bool light) {
  if (!light) return c;
  const float r = (c & 0xff) / 255.0f, g = ((c >> 8) & 0xff) / 255.0f, b = ((c >> 16) & 0xff) / 255.0f;
  const float lum = 0.2126f * r + 0.7152f * g + 0.0722f * b;
  if (lum < 0.55f) return c;
  const float k = 0.55f / lum;
  return IM_COL32(static_cast<int>(r * k * 255), static_cast<int>(g * k * 255), static_cast<int>(b * k * 255),
                  (c >> 24) & 0xff);
}

// The plot area and its data → pixel maps.
struct Frame {
  ImVec2 a, b;  // plot area corners (top-left, bottom-right)
  double x0 = 0, x1 = 1, y0 = 0, y1 = 1;
  float X(double v) const { return static_cast<float>(a.x + (v - x0) / (x1 - x0) * (b.x - a.x)); }
  float Y(double v) const { return static_cast<float>(b.y - (v - y0) / (y1 - y0) * (b.y - a.y)); }
};

// Ranges that hold every point with its error bar, and head-room for the legend in the
// top-right corner so that it does not hide the data.
void fit_ranges(Frame& f, const PlotSpec& spec, const std::vector<Curve>& curves, ImVec2 size, float fh, bool headroom) {
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
  if (headroom && !curves.empty() && legend_px < 0.6f * plot_px)
    f.y1 = f.y0 + (f.y1 - f.y0) * plot_px / (plot_px - legend_px);
}

// Whether the legend goes beside the plot area (a column on the right) rather than into
// head-room above the data: when its rows would take 60 % of the plot's height or more
// (a short plot strip with several series), so that it never covers the data.
bool legend_beside(const std::vector<Curve>& curves, ImVec2 size, float fh) {
  const float plot_px = std::max(1.0f, size.y - 5.0f * fh);
  return !curves.empty() && fh * (1.1f * static_cast<float>(curves.size()) + 0.5f) >= 0.6f * plot_px;
}

void draw_axes(Painter& dl, const Frame& f, const PlotSpec& spec, ImVec2 p0, float fh, ImU32 fg, ImU32 grid) {
  const Ticks tx = nice_ticks(f.x0, f.x1, std::max(2, static_cast<int>((f.b.x - f.a.x) / (4.5f * fh))));
  const Ticks ty = nice_ticks(f.y0, f.y1, std::max(2, static_cast<int>((f.b.y - f.a.y) / (1.8f * fh))));
  dl.rect(f.a, f.b, fg);
  for (double v : tx.values) {
    dl.line(ImVec2(f.X(v), f.a.y), ImVec2(f.X(v), f.b.y), grid);
    const std::string s = tick_label(v, tx.step);
    dl.text(ImVec2(f.X(v) - dl.width(s) / 2, f.b.y + 0.2f * fh), fg, s);
  }
  for (double v : ty.values) {
    dl.line(ImVec2(f.a.x, f.Y(v)), ImVec2(f.b.x, f.Y(v)), grid);
    const std::string s = tick_label(v, ty.step);
    dl.text(ImVec2(f.a.x - dl.width(s) - 0.3f * fh, f.Y(v) - fh / 2), fg, s);
  }
  dl.text(ImVec2((f.a.x + f.b.x) / 2 - dl.width(spec.xlabel) / 2, f.b.y + 1.2f * fh), fg, spec.xlabel);
  dl.text(ImVec2(p0.x + 0.2f * fh, f.a.y - 1.3f * fh), fg, spec.ylabel);
}

// Lines, markers and error bars of every series, clipped to the plot area.
void draw_series(Painter& dl, const Frame& f, const std::vector<Curve>& curves, bool light) {
  for (const auto& c : curves) {
    const ImU32 col = for_theme(c.color, light);
    dl.push_clip(f.a, f.b);
    std::vector<ImVec2> line;
    for (std::size_t i = 0; i < c.x.size(); ++i) line.emplace_back(f.X(c.x[i]), f.Y(c.y[i]));
    dl.polyline(line, col, 2.0f, c.id);
    for (std::size_t i = 0; i < c.x.size(); ++i) {
      if (!c.err.empty()) {
        const float xx = f.X(c.x[i]), lo = f.Y(c.y[i] - c.err[i]), hi = f.Y(c.y[i] + c.err[i]);
        dl.line(ImVec2(xx, lo), ImVec2(xx, hi), col, 1.5f);
        dl.line(ImVec2(xx - 3, lo), ImVec2(xx + 3, lo), col);
        dl.line(ImVec2(xx - 3, hi), ImVec2(xx + 3, hi), col);
      }
      if (c.x.size() < 30) dl.dot(ImVec2(f.X(c.x[i]), f.Y(c.y[i])), 2.5f, col);
    }
    dl.pop_clip();
  }
}

// `t` within `room` pixels: cut (at a word, or anywhere) and ended with "..." when longer.
std::string cut_to(Painter& dl, std::string t, float room, bool at_word) {
  if (dl.width(t) <= room) return t;
  while (!t.empty() && dl.width(t + "...") > room) {
    const std::size_t cut = at_word ? t.find_last_of(' ') : std::string::npos;
    t.resize(cut == std::string::npos || cut == 0 ? t.size() - 1 : cut);
  }
  return t + "...";
}

// The legend on a backing box in the top-right corner, at most 60 % of the plot's width,
// or (beside > 0) in a column that wide right of the plot area, from its top down to
// `bottom` (rows that do not fit end in "+N more"): longer labels are cut with "..."
// (the hover read-out has them whole).
void draw_legend(Painter& dl, const Frame& f, const std::vector<Curve>& curves, float fh, ImU32 fg, bool light,
                 float beside = 0, float bottom = 0) {
  if (curves.empty()) return;
  if (beside > 0) {
    const float lx = f.b.x + 0.6f * fh;
    float ly = f.a.y;
    const std::size_t rows = static_cast<std::size_t>(std::max(1.0f, (bottom - ly) / (1.1f * fh)));
    for (std::size_t i = 0; i < curves.size(); ++i) {
      if (i + 1 == rows && curves.size() > rows) {
        char more[32];
        std::snprintf(more, sizeof more, "+%zu more", curves.size() - i);
        dl.text(ImVec2(lx + 1.3f * fh, ly), fg, more);
        break;
      }
      dl.line(ImVec2(lx, ly + fh / 2), ImVec2(lx + fh, ly + fh / 2), for_theme(curves[i].color, light), 2.0f);
      dl.text(ImVec2(lx + 1.3f * fh, ly), fg, cut_to(dl, curves[i].label, beside - 1.9f * fh, false));
      ly += fh * 1.1f;
    }
    return;
  }
  const float most = std::max(3 * fh, 0.6f * (f.b.x - f.a.x) - 1.8f * fh);
  std::vector<std::string> labels;
  float legend_w = 0;
  for (const auto& c : curves) {
    labels.push_back(cut_to(dl, c.label, most, false));
    legend_w = std::max(legend_w, dl.width(labels.back()));
  }
  const float lx = std::max(f.a.x + 0.3f * fh, f.b.x - legend_w - 1.8f * fh);
  float ly = f.a.y + 0.3f * fh;
  dl.rect_filled(ImVec2(lx - 0.2f * fh, ly - 0.1f * fh),
                 ImVec2(f.b.x - 0.1f * fh, ly + fh * 1.1f * static_cast<float>(curves.size())),
                 light ? IM_COL32(255, 255, 255, 190) : IM_COL32(20, 20, 24, 190));
  for (std::size_t i = 0; i < curves.size(); ++i) {
    dl.line(ImVec2(lx, ly + fh / 2), ImVec2(lx + fh, ly + fh / 2), for_theme(curves[i].color, light), 2.0f);
    dl.text(ImVec2(lx + 1.3f * fh, ly), fg, labels[i]);
    ly += fh * 1.1f;
  }
}

// Title, axes, series and legend of a plot whose top-left corner is p0.
Frame draw_plot(Painter& dl, const PlotSpec& spec, const std::vector<Curve>& curves, ImVec2 p0, ImVec2 size) {
  const float fh = dl.font;
  const ImU32 fg = spec.light ? IM_COL32(30, 30, 30, 255) : IM_COL32(220, 220, 220, 255);
  const ImU32 grid = spec.light ? IM_COL32(0, 0, 0, 30) : IM_COL32(255, 255, 255, 28);
  // The title and the caption within the plot's width: cut at a word with "..." where they
  // would run into the next plot (the whole title is the hover's; a figure's SVG is wide).
  const float room = size.x - 0.4f * fh;
  const auto fit = [&](const std::string& t) { return cut_to(dl, t, room, true); };
  dl.text(ImVec2(p0.x + 0.2f * fh, p0.y), fg, fit(spec.title));
  // What to see, on its own line under the title, a little dimmer.
  const float below = spec.caption.empty() ? 0.0f : 1.15f * fh;
  if (below > 0) dl.text(ImVec2(p0.x + 0.2f * fh, p0.y + below), (fg & 0x00ffffffu) | (0xb0u << 24), fit(spec.caption));
  // The plot area inside margins for ticks and labels.
  Frame f;
  f.a = ImVec2(p0.x + 4.2f * fh, p0.y + 2.6f * fh + below);
  f.b = ImVec2(p0.x + size.x - 0.6f * fh, p0.y + size.y - 2.4f * fh);
  // A tall legend goes beside the data: a column of at most 40 % of the width.
  float beside = 0;
  if (legend_beside(curves, size, fh)) {
    for (const auto& c : curves) beside = std::max(beside, dl.width(c.label) + 1.9f * fh);
    beside = std::min(beside, 0.4f * size.x);
    f.b.x -= beside;
  }
  fit_ranges(f, spec, curves, size, fh, beside == 0);
  dl.push_clip(p0, ImVec2(p0.x + size.x, p0.y + size.y));
  draw_axes(dl, f, spec, p0, fh, fg, grid);
  draw_series(dl, f, curves, spec.light);
  draw_legend(dl, f, curves, fh, fg, spec.light, beside, p0.y + size.y - 0.2f * fh);
  dl.pop_clip();
  return f;
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
  DrawListPainter painter(dl);
  const Frame f = draw_plot(painter, spec, curves, p0, size);
  if (hovered && !curves.empty()) {
    dl->PushClipRect(p0, ImVec2(p0.x + size.x, p0.y + size.y), true);
    hover_readout(dl, f, curves, spec.light ? IM_COL32(0, 0, 0, 30) : IM_COL32(255, 255, 255, 28));
    dl->PopClipRect();
  } else if (hovered && ImGui::GetIO().MousePos.y < f.a.y) {
    ImGui::SetTooltip("%s", spec.title.c_str());  // the whole title, where the plot shows it cut
  }
  ImGui::PopID();
}

std::string plot_svg(const PlotSpec& spec, const std::vector<Curve>& curves) {
  const ImVec2 size(std::max(spec.size.x, 120.0f), std::max(spec.size.y, 80.0f));
  SvgPainter painter;
  painter.font = 13.0f;
  if (!spec.light) painter.rect_filled(ImVec2(0, 0), size, IM_COL32(20, 20, 24, 255));
  draw_plot(painter, spec, curves, ImVec2(0, 0), size);
  char head[320];
  std::snprintf(head, sizeof head,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
                "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"DejaVu Sans, sans-serif\">\n",
                size.x, size.y, size.x, size.y);
  return head + painter.body + "</svg>\n";
}

}  // namespace hbar::app
