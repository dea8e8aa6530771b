#include "canvas_renderer.hpp"

#include <algorithm>
#include <cmath>

#include "hbar/view/colormap.hpp"

namespace hbar::shaders {
extern const std::string_view points_vert, points_frag, heatmap_vert, heatmap_frag, density_frag;
}

namespace hbar::app {
namespace {

void setup_xyt(GLuint vao, GLuint vbo) {
  glBindVertexArray(vao);
  glBindBuffer(GL_ARRAY_BUFFER, vbo);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 3 * sizeof(float), nullptr);
  glEnableVertexAttribArray(1);
  glVertexAttribPointer(1, 1, GL_FLOAT, GL_FALSE, 3 * sizeof(float), reinterpret_cast<void*>(2 * sizeof(float)));
}

// Overlay colours: cyan, magenta, yellow.
constexpr float kOverlay[3][4] = {{0.0f, 0.86f, 1.0f, 0.9f}, {1.0f, 0.2f, 0.85f, 0.9f}, {1.0f, 0.9f, 0.1f, 0.9f}};

}  // namespace

CanvasRenderer::CanvasRenderer()
    : points_(gl::make_program(shaders::points_vert, shaders::points_frag)),
      heat_(gl::make_program(shaders::heatmap_vert, shaders::heatmap_frag)),
      density_(gl::make_program(shaders::heatmap_vert, shaders::density_frag)),
      time_map_(gl::make_texture()),
      heat_tex_(gl::make_texture()),
      data_vao_(gl::make_vertex_array()),
      part_vao_(gl::make_vertex_array()),
      quad_vao_(gl::make_vertex_array()),
      arrow_vao_(gl::make_vertex_array()),
      compare_vao_(gl::make_vertex_array()),
      data_vbo_(gl::make_buffer()),
      part_vbo_(gl::make_buffer()),
      quad_vbo_(gl::make_buffer()),
      arrow_vbo_(gl::make_buffer()),
      compare_vbo_(gl::make_buffer()) {
  traj_.vao = gl::make_vertex_array();
  traj_.vbo = gl::make_buffer();
  paths_vao_ = gl::make_vertex_array();
  paths_vbo_ = gl::make_buffer();
  // The time colour map as a 256 × 1 texture.
  std::vector<std::uint8_t> px(256 * 4);
  for (int i = 0; i < 256; ++i) {
    const auto c = colormap(Colormap::kViridis, i / 255.0);
    std::copy(c.begin(), c.end(), px.begin() + 4 * i);
  }
  glBindTexture(GL_TEXTURE_2D, time_map_.id());
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, 256, 1, 0, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_LINEAR);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glBindTexture(GL_TEXTURE_2D, heat_tex_.id());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  const float quad[] = {0, 0, 1, 0, 0, 1, 1, 1};
  glBindVertexArray(quad_vao_.id());
  glBindBuffer(GL_ARRAY_BUFFER, quad_vbo_.id());
  glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);
  glEnableVertexAttribArray(0);
  glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 2 * sizeof(float), nullptr);
  setup_xyt(data_vao_.id(), data_vbo_.id());
  setup_xyt(part_vao_.id(), part_vbo_.id());
  setup_xyt(arrow_vao_.id(), arrow_vbo_.id());
  setup_xyt(compare_vao_.id(), compare_vbo_.id());
  setup_xyt(traj_.vao.id(), traj_.vbo.id());
  setup_xyt(paths_vao_.id(), paths_vbo_.id());
  glBindVertexArray(0);
}

void CanvasRenderer::upload_lines(Lines& l, const SampleResult& r, std::size_t max_lines, double t_first,
                                  double t_last, int stride) {
  const auto& fr = r.trajectories.frames;
  const std::size_t frames = fr.size();
  const std::size_t lines = std::min<std::size_t>(max_lines, fr.empty() ? 0 : static_cast<std::size_t>(fr[0].rows()));
  // Frames 0, stride, 2 stride, … and the last one.
  std::vector<std::size_t> keep;
  for (std::size_t f = 0; f < frames; f += static_cast<std::size_t>(std::max(1, stride))) keep.push_back(f);
  if (frames > 0 && keep.back() != frames - 1) keep.push_back(frames - 1);
  const std::size_t per = keep.size();
  std::vector<float> v(lines * per * 3);
  const double span = t_last - t_first;
  for (std::size_t i = 0; i < lines; ++i)
    for (std::size_t k = 0; k < per; ++k) {
      const std::size_t f = keep[k];
      float* p = v.data() + 3 * (i * per + k);
      p[0] = static_cast<float>(fr[f](static_cast<Eigen::Index>(i), 0));
      p[1] = static_cast<float>(fr[f](static_cast<Eigen::Index>(i), 1));
      p[2] = static_cast<float>((r.trajectories.times[f] - t_first) / (span != 0 ? span : 1.0));
    }
  glBindBuffer(GL_ARRAY_BUFFER, l.vbo.id());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(v.size() * sizeof(float)), v.data(), GL_DYNAMIC_DRAW);
  l.first.resize(lines);
  l.count.resize(lines);
  for (std::size_t i = 0; i < lines; ++i) l.first[i] = static_cast<GLint>(i * per);
  l.per_line = static_cast<int>(per);
  l.frames = static_cast<int>(frames);
  l.stride = std::max(1, stride);
}

void CanvasRenderer::upload_points(gl::VertexArray&, gl::Buffer& vbo, const std::vector<float>& xyz) {
  glBindBuffer(GL_ARRAY_BUFFER, vbo.id());
  glBufferData(GL_ARRAY_BUFFER, static_cast<GLsizeiptr>(xyz.size() * sizeof(float)), xyz.data(), GL_DYNAMIC_DRAW);
}

void CanvasRenderer::set_common(const Box& world, float point_size) {
  glUseProgram(points_.id());
  const Box& v = world;
  glUniform4f(glGetUniformLocation(points_.id(), "u_view"), static_cast<float>((v.xmin + v.xmax) / 2),
              static_cast<float>((v.ymin + v.ymax) / 2), static_cast<float>(2 / v.width()),
              static_cast<float>(2 / v.height()));
  glUniform1f(glGetUniformLocation(points_.id(), "u_point_size"), point_size);
  glUniform1i(glGetUniformLocation(points_.id(), "u_map"), 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, time_map_.id());
}

CanvasContent content_of(const Controller& c, const UiState& ui) {
  const Settings& s = ui.settings;
  const View& vw = ui.view;
  CanvasContent k;
  k.data = vw.show_data ? c.data_points() : nullptr;
  k.stale = c.data_stale();
  // A cleared canvas waiting for drawn points is blank (the run of the old data is gone).
  k.run = ui.status.waiting_for_data ? nullptr : &c.run();
  if (s.overlay && s.mode == Mode::kReverse) k.overlay = &c.overlay();
  if (s.compare) k.compare = &c.compare();
  if (s.heat != HeatKind::kNone) k.heat = &c.heat();
  if (vw.arrows && !c.arrows().first.values.empty()) k.arrows = &c.arrows();
  k.particles = vw.show_particles;
  k.trajectories = vw.show_traj && vw.lines > 0;
  k.coarse = c.h_moving();
  k.traj_alpha = s.overlay ? 0.15f : 0.35f;
  if (c.spacetime().shown()) {
    // Space-time: the same layers, projected (x = t, y = u·x), over the density.
    const SpaceTimeView& st = c.spacetime().view();
    k.data = vw.show_data && !st.toy ? st.data : nullptr;
    k.stale = !st.toy && k.stale;
    k.run = &st.run;
    k.overlay = k.overlay && !st.toy ? &st.overlay : nullptr;
    k.compare = k.compare && !st.toy ? &st.compare : nullptr;
    k.heat = st.heat.map.grid.nx > 0 ? &st.heat : nullptr;
    k.arrows = nullptr;
  }
  return k;
}

CanvasRenderer::~CanvasRenderer() {
  if (fbo_) glDeleteFramebuffers(1, &fbo_);
  if (acc_fbo_) glDeleteFramebuffers(1, &acc_fbo_);
}

void CanvasRenderer::draw(const CanvasContent& k, const View& vw, const Box& world, const CanvasRect& r) {
  last_vertices_ = 0;
  glViewport(r.x, r.y, r.w, r.h);
  glEnable(GL_SCISSOR_TEST);
  glScissor(r.x, r.y, r.w, r.h);
  if (k.transparent)
    glClearColor(0, 0, 0, 0);
  else if (vw.light_theme)
    glClearColor(1, 1, 1, 1);
  else
    glClearColor(0.07f, 0.075f, 0.09f, 1);
  glClear(GL_COLOR_BUFFER_BIT);
  glEnable(GL_BLEND);
  // Colour by alpha; the alpha channel itself as "over" (a transparent figure stays right).
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glEnable(GL_PROGRAM_POINT_SIZE);
  // Back to front: heat map, arrows, trajectories, overlay, particles, and the data on
  // top, small and light, so that it shows where the particles land on it. While the
  // scene is of other data (drawn data being edited, a new set loading) the previous run
  // stays, faded, under the new data until its scene is ready: nothing vanishes.
  if (k.heat && !k.stale) draw_heat(*k.heat, vw, world);
  set_common(world, static_cast<float>(vw.point_size));
  glUniform1i(uniform("u_round"), 1);
  if (k.run) {
    const float fade = k.stale ? 0.35f : 1.0f;
    if (k.arrows && !k.stale) draw_arrows(*k.arrows);
    if (k.run->result && k.trajectories) {
      // With a few thick paths on top, the rest steps back.
      draw_trajectories(*k.run, vw, world, fade * (vw.paths > 0 ? k.traj_alpha * 0.5f : k.traj_alpha), k.coarse, r);
      if (vw.paths > 0 && !k.stale) draw_paths(*k.run, vw, world, r, k.coarse);
    }
    if (k.overlay && !k.stale) draw_overlay(*k.overlay, vw.frame);
    // The exact score's counterparts (green, when compared), then the run's own (orange) on top.
    if (k.particles) {
      const float kCompare[4] = {0.43f, 0.86f, 0.43f, 0.8f * fade}, kRun[4] = {1.0f, 0.47f, 0.24f, 0.8f * fade};
      if (k.compare && !k.stale) draw_particles(*k.compare, vw, compare_vao_, compare_vbo_, kCompare);
      draw_particles(*k.run, vw, part_vao_, part_vbo_, kRun);
    }
  }
  if (k.data) draw_data(k.data, vw, !k.run || !k.run->result);
  glBindVertexArray(0);
  glDisable(GL_SCISSOR_TEST);
}

std::vector<std::uint8_t> CanvasRenderer::draw_offscreen(const CanvasContent& k, const View& vw, const Box& world, int w, int h,
                                                         const std::function<void()>& overlay) {
  if (!fbo_) glGenFramebuffers(1, &fbo_);
  glBindFramebuffer(GL_FRAMEBUFFER, fbo_);
  if (w != fbo_w_ || h != fbo_h_) {
    fbo_tex_ = gl::make_texture();
    glBindTexture(GL_TEXTURE_2D, fbo_tex_.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, w, h, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, fbo_tex_.id(), 0);
    fbo_w_ = w, fbo_h_ = h;
  }
  std::vector<std::uint8_t> px;
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) == GL_FRAMEBUFFER_COMPLETE) {
    draw(k, vw, world, CanvasRect{0, 0, w, h});
    if (overlay) overlay();
    const std::size_t row = static_cast<std::size_t>(w) * 4;
    px.resize(row * static_cast<std::size_t>(h));
    glPixelStorei(GL_PACK_ALIGNMENT, 1);
    glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
    // GL's rows run bottom-up; images top-down.
    std::vector<std::uint8_t> tmp(row);
    for (int y = 0; y < h / 2; ++y) {
      std::uint8_t* a = px.data() + row * static_cast<std::size_t>(y);
      std::uint8_t* b = px.data() + row * static_cast<std::size_t>(h - 1 - y);
      std::copy(a, a + row, tmp.data());
      std::copy(b, b + row, a);
      std::copy(tmp.data(), tmp.data() + row, b);
    }
  }
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  return px;
}

GLint CanvasRenderer::uniform(const char* name) const { return glGetUniformLocation(points_.id(), name); }

void CanvasRenderer::draw_heat(const HeatView& heat, const View& vw, const Box& world) {
  const HeatMap& hv = heat.map;
  if (hv.rgba.empty()) return;
  const Box& v = world;
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, heat_tex_.id());
  if (heat.version != heat_version_) {
    heat_version_ = heat.version;
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, hv.grid.nx, hv.grid.ny, 0, GL_RGBA, GL_UNSIGNED_BYTE, hv.rgba.data());
  }
  glUseProgram(heat_.id());
  glUniform4f(glGetUniformLocation(heat_.id(), "u_view"), static_cast<float>((v.xmin + v.xmax) / 2),
              static_cast<float>((v.ymin + v.ymax) / 2), static_cast<float>(2 / v.width()),
              static_cast<float>(2 / v.height()));
  const Box& b = hv.grid.box;
  glUniform4f(glGetUniformLocation(heat_.id(), "u_box"), static_cast<float>(b.xmin), static_cast<float>(b.ymin),
              static_cast<float>(b.xmax), static_cast<float>(b.ymax));
  glUniform1f(glGetUniformLocation(heat_.id(), "u_opacity"), static_cast<float>(vw.heat_opacity));
  glUniform1i(glGetUniformLocation(heat_.id(), "u_tex"), 0);
  glBindVertexArray(quad_vao_.id());
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
}

// Training data (grey; stronger while it is all the canvas shows).
void CanvasRenderer::draw_data(const std::shared_ptr<const Points>& data, const View& vw, bool alone) {
  if (data_of_ != data) {
    data_of_ = data;
    std::vector<float> xyz;
    xyz.reserve(static_cast<std::size_t>(data->rows()) * 3);
    for (Eigen::Index i = 0; i < data->rows(); ++i) {
      xyz.push_back(static_cast<float>((*data)(i, 0)));
      xyz.push_back(static_cast<float>((*data)(i, 1)));
      xyz.push_back(0.0f);
    }
    upload_points(data_vao_, data_vbo_, xyz);
    data_count_ = static_cast<std::size_t>(data->rows());
  }
  glUniform1i(uniform("u_round"), 1);
  glUniform1i(uniform("u_use_map"), 0);
  // Over the particles: smaller than they are, and in the grey the legend names.
  if (vw.light_theme)
    glUniform4f(uniform("u_color"), 0.25f, 0.25f, 0.25f, alone ? 0.9f : 0.75f);
  else
    glUniform4f(uniform("u_color"), 0.82f, 0.82f, 0.82f, alone ? 0.85f : 0.7f);
  glUniform1f(uniform("u_point_size"), std::max(1.5f, static_cast<float>(vw.point_size) * (alone ? 1.0f : 0.5f)));
  glBindVertexArray(data_vao_.id());
  glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(data_count_));
  last_vertices_ += data_count_;
}

// Drift arrows, scaled so that the longest spans 0.9 of a cell.
void CanvasRenderer::draw_arrows(const std::pair<Grid, Grid>& field) {
  const auto& [gx, gy] = field;
  std::vector<float> xyz;
  double vmax = 1e-12;
  for (std::size_t k = 0; k < gx.values.size(); ++k) vmax = std::max(vmax, std::hypot(gx.values[k], gy.values[k]));
  const double len = 0.9 * gx.box.width() / gx.nx / vmax;
  for (int j = 0; j < gx.ny; ++j)
    for (int i = 0; i < gx.nx; ++i) {
      const Vec2 p = gx.centre(i, j);
      const double dx = gx.at(i, j) * len, dy = gy.at(i, j) * len;
      // The PF drift points forward in t; the generative direction is −f_PF: draw that.
      const float pts[] = {static_cast<float>(p[0]), static_cast<float>(p[1]), 0.0f,
                           static_cast<float>(p[0] - dx), static_cast<float>(p[1] - dy), 1.0f};
      xyz.insert(xyz.end(), pts, pts + 6);
    }
  upload_points(arrow_vao_, arrow_vbo_, xyz);
  glUniform1i(uniform("u_round"), 0);  // gl_PointCoord is undefined for lines
  glUniform1i(uniform("u_use_map"), 0);
  glUniform4f(uniform("u_color"), 0.3f, 0.8f, 1.0f, 0.7f);
  glBindVertexArray(arrow_vao_.id());
  glDrawArrays(GL_LINES, 0, static_cast<GLsizei>(xyz.size() / 3));
}

// Trajectories up to the current step, coloured by time: faint lines over each other
// (alpha), or their additive density resolved to a mean colour and an opacity that
// grows with the count of lines through a pixel (density).
void CanvasRenderer::draw_trajectories(const RunView& run, const View& vw, const Box& world, float alpha, bool coarse,
                                       const CanvasRect& r) {
  // Every line_step-th step; while h moves, at most ~30 vertices a line (a new run comes
  // every frame: it is uploaded and drawn whole each time, and llvmpipe rasterises about a
  // vertex a microsecond: 100 vertices a line cost a drag's frame ~40 ms at 1600 × 1000).
  const int frames = static_cast<int>(run.result->trajectories.frames.size());
  const int stride = std::max(vw.line_step, coarse ? (frames + 29) / 30 : 1);
  if (run.version != traj_version_ || vw.lines != traj_shown_ || stride != traj_stride_) {
    traj_version_ = run.version;
    traj_shown_ = vw.lines;
    traj_stride_ = stride;
    upload_lines(traj_, *run.result, static_cast<std::size_t>(vw.lines), run.t_first, run.t_last, stride);
  }
  const int upto = traj_.upto(vw.frame);
  // Vertices [from, upto) of every line (from > 0: the strip starts at the last vertex drawn).
  const auto lines_from = [&](int from, float a, int premul) {
    std::vector<GLint> first(traj_.first);
    for (GLint& f : first) f += from;
    std::fill(traj_.count.begin(), traj_.count.end(), upto - from);
    last_vertices_ += traj_.first.size() * static_cast<std::size_t>(upto - from);
    glUniform1i(uniform("u_round"), 0);
    glUniform1i(uniform("u_use_map"), 1);
    glUniform1i(uniform("u_premul"), premul);
    glUniform4f(uniform("u_color"), 1, 1, 1, a);
    glBindVertexArray(traj_.vao.id());
    glMultiDrawArrays(GL_LINE_STRIP, first.data(), traj_.count.data(), static_cast<GLsizei>(first.size()));
    glUniform1i(uniform("u_premul"), 0);
  };
  const auto lines = [&](float a, int premul) { lines_from(0, a, premul); };
  if (vw.line_blend == LineBlend::kAlpha) {
    lines(alpha, 0);
    return;
  }
  // Accumulate into a float target the size of the canvas, then resolve over it.
  GLint prev_fbo = 0, prev_vp[4];
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
  glGetIntegerv(GL_VIEWPORT, prev_vp);
  if (!acc_fbo_) glGenFramebuffers(1, &acc_fbo_);
  glBindFramebuffer(GL_FRAMEBUFFER, acc_fbo_);
  // Even widths accumulate at half the resolution: a line one texel wide there is two
  // pixels wide on screen, and the resolve reads a quarter of the texels (width 2: one
  // fetch a pixel instead of the 2 × 2 block's four; the resolve was the frame's largest
  // cost on llvmpipe). Odd widths stay at full resolution.
  const int width = std::clamp(vw.line_width, 1, 4);
  const int f = width % 2 == 0 ? 2 : 1;
  const int aw = (r.w + f - 1) / f, ah = (r.h + f - 1) / f;
  const bool resized = aw != acc_w_ || ah != acc_h_;
  if (resized) {
    acc_tex_ = gl::make_texture();
    glBindTexture(GL_TEXTURE_2D, acc_tex_.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA16F, aw, ah, 0, GL_RGBA, GL_FLOAT, nullptr);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, acc_tex_.id(), 0);
    acc_w_ = aw, acc_h_ = ah;
    // The lines read their colours from the time map on unit 0: bound again (it was the
    // new target: lines drawn black into every resized or offscreen picture).
    glBindTexture(GL_TEXTURE_2D, time_map_.id());
  }
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE) {
    glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
    lines(alpha, 0);  // no float target here: plain alpha
    return;
  }
  glDisable(GL_SCISSOR_TEST);
  glViewport(0, 0, aw, ah);
  glBlendFunc(GL_ONE, GL_ONE);
  // The sum is additive: the same run, lines and rectangle need only the steps not yet
  // added (playback), or none (a still picture). Anything else starts from zero.
  const bool same = !resized && acc_version_ == run.version && acc_lines_ == vw.lines && acc_stride_ == stride &&
                    acc_world_.xmin == world.xmin &&
                    acc_world_.xmax == world.xmax && acc_world_.ymin == world.ymin && acc_world_.ymax == world.ymax;
  if (same && upto >= acc_upto_) {
    if (upto > acc_upto_) lines_from(std::max(acc_upto_ - 1, 0), 1.0f, 1);
  } else {
    glClearColor(0, 0, 0, 0);
    glClear(GL_COLOR_BUFFER_BIT);
    lines(1.0f, 1);
  }
  acc_version_ = run.version;
  acc_lines_ = vw.lines;
  acc_stride_ = stride;
  acc_world_ = world;
  acc_upto_ = upto;
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
  glViewport(prev_vp[0], prev_vp[1], prev_vp[2], prev_vp[3]);
  glEnable(GL_SCISSOR_TEST);
  glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
  glUseProgram(density_.id());
  glUniform4f(glGetUniformLocation(density_.id(), "u_view"), 0.5f, 0.5f, 2.0f, 2.0f);  // the unit square -> NDC
  glUniform4f(glGetUniformLocation(density_.id(), "u_box"), 0, 0, 1, 1);
  // Dimmed as the alpha blend would be (overlay, few paths on top): 0.35 is full weight;
  // normalised by the count of lines (√(400 / lines): more lines, fainter each).
  const double per_line = vw.line_contrast * std::sqrt(400.0 / std::max(1, vw.lines));
  glUniform1f(glGetUniformLocation(density_.id(), "u_contrast"), static_cast<float>(per_line) * alpha / 0.35f);
  // The block of accumulated texels each pixel takes its densest from: width / f on a side.
  glUniform1i(glGetUniformLocation(density_.id(), "u_width"), width / f);
  glUniform2f(glGetUniformLocation(density_.id(), "u_texel"), 1.0f / static_cast<float>(aw), 1.0f / static_cast<float>(ah));
  glUniform1i(glGetUniformLocation(density_.id(), "u_acc"), 0);
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, acc_tex_.id());
  glBindVertexArray(quad_vao_.id());
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  // Back to the points program and its colour map for the layers above.
  glUseProgram(points_.id());
  glBindTexture(GL_TEXTURE_2D, time_map_.id());
}

// Overlay runs (several h from the same starts) in flat colours, the largest h first, so
// the smooth h = 0 paths lie on top of the noisy ones instead of under them.
void CanvasRenderer::draw_overlay(const std::vector<RunView>& ov, int frame) {
  while (overlay_.size() < ov.size()) {
    Lines l;
    l.vao = gl::make_vertex_array();
    l.vbo = gl::make_buffer();
    setup_xyt(l.vao.id(), l.vbo.id());
    overlay_.push_back(std::move(l));
    overlay_versions_.push_back(0);
  }
  for (std::size_t k = ov.size(); k-- > 0;) {
    if (overlay_versions_[k] != ov[k].version) {
      overlay_versions_[k] = ov[k].version;
      upload_lines(overlay_[k], *ov[k].result, kOverlayParticles, ov[k].t_first, ov[k].t_last);
    }
    auto& l = overlay_[k];
    const int upto = l.upto(frame);
    std::fill(l.count.begin(), l.count.end(), upto);
    glUniform1i(uniform("u_round"), 0);
    glUniform1i(uniform("u_use_map"), 0);
    const float* col = kOverlay[k % 3];
    glUniform4f(uniform("u_color"), col[0], col[1], col[2], col[3]);
    glBindVertexArray(l.vao.id());
    glMultiDrawArrays(GL_LINE_STRIP, l.first.data(), l.count.data(), static_cast<GLsizei>(l.first.size()));
  }
}

// The particles of a run at the current step.
void CanvasRenderer::draw_particles(const RunView& rv, const View& vw, gl::VertexArray& vao, gl::Buffer& vbo,
                                    const float* rgba) {
  if (!rv.result || rv.result->trajectories.frames.empty()) return;
  const auto& fr = rv.result->trajectories.frames;
  const Points& x = fr[static_cast<std::size_t>(std::clamp(vw.frame, 0, static_cast<int>(fr.size()) - 1))];
  std::vector<float> xyz(static_cast<std::size_t>(x.rows()) * 3);
  for (Eigen::Index i = 0; i < x.rows(); ++i) {
    xyz[3 * static_cast<std::size_t>(i)] = static_cast<float>(x(i, 0));
    xyz[3 * static_cast<std::size_t>(i) + 1] = static_cast<float>(x(i, 1));
    xyz[3 * static_cast<std::size_t>(i) + 2] = 0.0f;
  }
  upload_points(vao, vbo, xyz);
  glUniform1i(uniform("u_round"), 1);
  glUniform1i(uniform("u_use_map"), 0);
  glUniform4f(uniform("u_color"), rgba[0], rgba[1], rgba[2], rgba[3]);
  glUniform1f(uniform("u_point_size"), static_cast<float>(vw.point_size));
  glBindVertexArray(vao.id());
  glDrawArrays(GL_POINTS, 0, static_cast<GLsizei>(x.rows()));
  last_vertices_ += static_cast<std::size_t>(x.rows());
}

}  // namespace hbar::app
