// The canvas's "few paths": a handful of thick trajectories drawn as quads (split from
// canvas_renderer.cpp, which draws everything else).
#include <algorithm>
#include <cmath>

#include "canvas_renderer.hpp"

namespace hbar::app {

// "Few paths" (the paper's Fig. 2 look): vw.paths thick trajectories, from the
// particles whose starts lie nearest a sunflower of points over the prior's bulk
// (radius 2), so that they spread over the plane; coloured by time like the rest.
void CanvasRenderer::draw_paths(const RunView& run, const View& vw, const Box& world, const CanvasRect& r, bool coarse) {
  const auto& fr = run.result->trajectories.frames;
  if (fr.empty()) return;
  const Points& x0 = fr[0];
  const std::uint64_t key = run.version * 131 + static_cast<std::uint64_t>(vw.paths);
  if (key != path_key_) {
    path_key_ = key;
    path_ids_.clear();
    const int n = vw.paths;
    for (int j = 0; j < n && static_cast<Eigen::Index>(path_ids_.size()) < x0.rows(); ++j) {
      const double rad = 2.0 * std::sqrt((j + 0.5) / n), ang = j * 2.399963229728653;  // the golden angle
      const double px = rad * std::cos(ang), py = rad * std::sin(ang);
      Eigen::Index best = -1;
      double bd = 1e300;
      for (Eigen::Index i = 0; i < x0.rows(); ++i) {
        if (std::find(path_ids_.begin(), path_ids_.end(), i) != path_ids_.end()) continue;
        const double d = (x0(i, 0) - px) * (x0(i, 0) - px) + (x0(i, 1) - py) * (x0(i, 1) - py);
        if (d < bd) bd = d, best = i;
      }
      if (best >= 0) path_ids_.push_back(best);
    }
  }
  // Quads, two triangles a segment, in world coordinates: a halo 5 pixels wide under
  // the path 3 pixels wide, so that its dark start stands out on the dark canvas.
  const double wpx = world.width() / std::max(1, r.w), wpy = world.height() / std::max(1, r.h);
  const int upto = std::clamp(vw.frame, 0, static_cast<int>(fr.size()) - 1);
  const auto& ts = run.result->trajectories.times;
  const double span = run.t_last - run.t_first;
  const double min_len = coarse ? 8.0 : 2.0;
  const auto strips = [&](double half) {
    std::vector<float> v;
    v.reserve(path_ids_.size() * static_cast<std::size_t>(upto) * 18);
    for (Eigen::Index i : path_ids_) {
      // Steps shorter than 2 pixels merge into the next (sub-pixel segments would turn
      // the quads every which way); while h moves, shorter than 8 (a new run every frame).
      std::size_t a = 0;
      for (std::size_t b = 1; b <= static_cast<std::size_t>(upto); ++b) {
        const double ax = fr[a](i, 0), ay = fr[a](i, 1), bx = fr[b](i, 0), by = fr[b](i, 1);
        const double dxp = (bx - ax) / wpx, dyp = (by - ay) / wpy, len = std::hypot(dxp, dyp);
        if (len < min_len && b < static_cast<std::size_t>(upto)) continue;
        if (len <= 0) break;
        const double ox = -dyp / len * half * wpx, oy = dxp / len * half * wpy;
        const float ta = static_cast<float>((ts[a] - run.t_first) / (span != 0 ? span : 1.0));
        const float tb = static_cast<float>((ts[b] - run.t_first) / (span != 0 ? span : 1.0));
        const float q[6][3] = {{float(ax + ox), float(ay + oy), ta}, {float(ax - ox), float(ay - oy), ta},
                               {float(bx + ox), float(by + oy), tb}, {float(bx + ox), float(by + oy), tb},
                               {float(ax - ox), float(ay - oy), ta}, {float(bx - ox), float(by - oy), tb}};
        for (const auto& p : q) v.insert(v.end(), p, p + 3);
        a = b;
      }
    }
    return v;
  };
  glUniform1i(uniform("u_round"), 0);
  glBindVertexArray(paths_vao_.id());
  for (const double half : {2.5, 1.5}) {
    const std::vector<float> v = strips(half);
    if (v.empty()) return;
    upload_points(paths_vao_, paths_vbo_, v);
    const bool halo = half > 2;
    glUniform1i(uniform("u_use_map"), halo ? 0 : 1);
    if (!halo) glUniform4f(uniform("u_color"), 1, 1, 1, 1);
    else if (vw.light_theme) glUniform4f(uniform("u_color"), 0.15f, 0.15f, 0.15f, 0.55f);
    else glUniform4f(uniform("u_color"), 0.92f, 0.92f, 0.92f, 0.55f);
    glDrawArrays(GL_TRIANGLES, 0, static_cast<GLsizei>(v.size() / 3));
    last_vertices_ += v.size() / 3;
  }
}

}  // namespace hbar::app
