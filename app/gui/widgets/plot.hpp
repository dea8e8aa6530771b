#pragma once
// A small line plot on ImDrawList (Debian has no ImPlot): axes with nice ticks,
// labels, legend, several series, error bars and a hover read-out. The tick and
// range maths live in core (hbar/view/ticks.hpp) and are unit-tested there.
#include <imgui.h>

#include <cmath>
#include <string>
#include <vector>

#include "../status.hpp"

namespace hbar::app {

struct PlotSpec {
  const char* id;
  std::string title;   // says what is shown: exact / approximate, W2 vs W2²
  std::string xlabel, ylabel;
  ImVec2 size;
  bool light = false;
  double xmin = NAN, xmax = NAN;  // a fixed x range (both set), else from the data
  std::string caption;  // what to see, in plain words (beside the y label, cut to the width)
};

void plot(const PlotSpec& spec, const std::vector<Curve>& curves);
// The same plot as an SVG document (vector: axes, ticks, labels, legend, error bars;
// one <path class="series" id="…"> per series). Light specs have no background.
std::string plot_svg(const PlotSpec& spec, const std::vector<Curve>& curves);

}  // namespace hbar::app
