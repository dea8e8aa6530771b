// hbar-plot: a curves CSV (the app's `export curves` format: series,x,y,err) drawn as SVG
// by the app's own plot widget (widgets/plot.cpp, its SVG painter), headless. The paper's
// figures (scripts/reproduce.sh) use it so that they look like, and are drawn by the same
// code as, the plots in the app.
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "hbar/io/output.hpp"
#include "hbar/io/read_file.hpp"
#include "widgets/plot.hpp"

namespace {

// Series in the order they first appear; err empty when the file has no err column.
std::vector<hbar::app::Curve> read_curves(const std::string& path) {
  const std::string text = hbar::read_file_text(path, "a curves CSV file");
  std::istringstream in(text);
  std::string line;
  int lineno = 0;
  bool has_err = false;
  std::vector<hbar::app::Curve> out;
  const auto fail = [&](const std::string& why) {
    throw std::runtime_error(path + ":" + std::to_string(lineno) + ": " + why);
  };
  while (std::getline(in, line)) {
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    std::vector<std::string> f;
    std::stringstream ss(line);
    std::string cell;
    while (std::getline(ss, cell, ',')) f.push_back(cell);
    if (lineno == 1) {
      if (f.size() < 3 || f[0] != "series" || f[1] != "x" || f[2] != "y")
        fail("expected the header series,x,y[,err]");
      has_err = f.size() >= 4 && f[3] == "err";
      continue;
    }
    if (f.size() < (has_err ? 4u : 3u)) fail("expected " + std::string(has_err ? "4" : "3") + " fields");
    double v[3] = {0, 0, 0};
    for (int k = 0; k < (has_err ? 3 : 2); ++k) {
      std::size_t used = 0;
      try {
        v[k] = std::stod(f[static_cast<std::size_t>(k) + 1], &used);
      } catch (const std::exception&) {
        used = 0;
      }
      if (used == 0 || used != f[static_cast<std::size_t>(k) + 1].size() || !std::isfinite(v[k]))
        fail("'" + f[static_cast<std::size_t>(k) + 1] + "' is not a finite number");
    }
    hbar::app::Curve* c = nullptr;
    for (auto& e : out)
      if (e.id == f[0]) c = &e;
    if (!c) {
      out.push_back({});
      c = &out.back();
      c->id = c->label = f[0];
    }
    c->x.push_back(v[0]);
    c->y.push_back(v[1]);
    if (has_err) c->err.push_back(v[2]);
  }
  if (out.empty()) fail("no data rows");
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"hbar-plot: a curves CSV (series,x,y[,err]) as SVG, drawn by the app's plot widget"};
  std::string curves, out, title, xlabel = "x", ylabel = "y";
  std::vector<std::string> labels;
  float width = 640, height = 400;
  bool light = false;
  app.add_option("--curves", curves, "the CSV: series,x,y[,err] (err: the error bar's half height)")->required();
  app.add_option("--out", out, "the SVG to write (atomically)")->required();
  app.add_option("--title", title, "the title: say what is shown (W2 or W2^2, exact or not, what the bars are)");
  app.add_option("--xlabel", xlabel, "x axis label")->capture_default_str();
  app.add_option("--ylabel", ylabel, "y axis label")->capture_default_str();
  std::string caption;
  app.add_option("--caption", caption, "what to see, in plain words (beside the y label)");
  app.add_option("--label", labels, "ID=TEXT: the legend of series ID (default: its id)");
  app.add_option("--width", width, "pixels")->capture_default_str()->check(CLI::Range(120.0, 4000.0));
  app.add_option("--height", height, "pixels")->capture_default_str()->check(CLI::Range(80.0, 4000.0));
  app.add_flag("--light", light, "light theme (no background), for print");
  CLI11_PARSE(app, argc, argv);
  try {
    std::vector<hbar::app::Curve> cs = read_curves(curves);
    // The app's series colours (ABGR), in order.
    const unsigned palette[] = {0xff4fa3ffu, 0xffe0a040u, 0xff60c060u, 0xff6fd3ffu, 0xffc080e0u, 0xff8080ffu};
    for (std::size_t i = 0; i < cs.size(); ++i) cs[i].color = palette[i % std::size(palette)];
    for (const std::string& l : labels) {
      const auto eq = l.find('=');
      if (eq == std::string::npos) throw std::runtime_error("--label " + l + ": expected ID=TEXT");
      bool found = false;
      for (auto& c : cs)
        if (c.id == l.substr(0, eq)) c.label = l.substr(eq + 1), found = true;
      if (!found) throw std::runtime_error("--label " + l + ": no series '" + l.substr(0, eq) + "' in " + curves);
    }
    const hbar::app::PlotSpec spec{"plot", title, xlabel, ylabel, ImVec2(width, height), light, NAN, NAN, caption};
    const std::string svg = hbar::app::plot_svg(spec, cs);
    hbar::write_file_atomic(out, [&](std::ostream& f) { f << svg; });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "hbar-plot: %s\n", e.what());
    return 2;
  }
  return 0;
}
