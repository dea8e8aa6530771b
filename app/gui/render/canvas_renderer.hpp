#pragma once
// Draws the canvas: heat map, drift arrows, training data, trajectories coloured by
// time, overlay runs and the particles at the current step. Everything it draws
// was computed by the Controller; this only uploads and draws (main thread).
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include "../controller.hpp"
#include "../gl/objects.hpp"

namespace hbar::app {

struct CanvasRect {
  int x = 0, y = 0, w = 1, h = 1;  // GL viewport (origin bottom-left)
};

// What the canvas shows: the controller's state on screen, or an animation's frame.
struct CanvasContent {
  std::shared_ptr<const Points> data;
  bool stale = false;  // the run is of other data: only the data is drawn
  const RunView* run = nullptr;
  const std::vector<RunView>* overlay = nullptr;  // several h (Fig. 2); null: none
  const RunView* compare = nullptr;               // the exact score's particles; null: none
  const HeatView* heat = nullptr;                 // null: no heat map
  const std::pair<Grid, Grid>* arrows = nullptr;  // null: no drift arrows
  bool particles = true, trajectories = true;
  float traj_alpha = 0.35f;
  bool transparent = false;  // clear to transparent (a figure's PNG over any background)
  bool coarse = false;       // h is moving: the lines at most ~30 vertices each, the few paths coarser (they follow every frame)
};
// The canvas of the window: what the controller has, as the settings and view ask.
CanvasContent content_of(const Controller& c, const UiState& ui);

class CanvasRenderer {
 public:
  CanvasRenderer();
  ~CanvasRenderer();
  CanvasRenderer(const CanvasRenderer&) = delete;
  CanvasRenderer& operator=(const CanvasRenderer&) = delete;
  // `world`: the world rectangle the canvas rectangle `r` shows.
  void draw(const CanvasContent& content, const View& vw, const Box& world, const CanvasRect& r);
  // Draws into an offscreen w × h image and returns its pixels (RGBA, top row first);
  // `overlay` draws over the canvas (captions) before the pixels are read.
  std::vector<std::uint8_t> draw_offscreen(const CanvasContent& content, const View& vw, const Box& world, int w, int h,
                                           const std::function<void()>& overlay);
  // Vertices drawn last frame (for the frame-time benchmark).
  std::size_t last_vertices() const { return last_vertices_; }

 private:
  struct Lines {
    gl::VertexArray vao;
    gl::Buffer vbo;
    std::vector<GLint> first;
    std::vector<GLsizei> count;
    int per_line = 0;  // vertices of a line
    int frames = 0;    // frames of the run
    int stride = 1;    // a vertex every `stride` frames (and the last frame)
    // Vertices of a line up to frame f (at least 1).
    int upto(int f) const {
      const int g = std::clamp(f, 0, std::max(frames - 1, 0));
      return g >= frames - 1 ? per_line : g / stride + 1;
    }
  };
  void upload_lines(Lines& l, const SampleResult& r, std::size_t max_lines, double t_first, double t_last,
                    int stride = 1);
  void upload_points(gl::VertexArray& vao, gl::Buffer& vbo, const std::vector<float>& xyz);
  void set_common(const Box& world, float point_size);
  GLint uniform(const char* name) const;  // of the points program
  // The layers, back to front.
  void draw_heat(const HeatView& heat, const View& vw, const Box& world);
  void draw_data(const std::shared_ptr<const Points>& data, const View& vw, bool alone);
  void draw_arrows(const std::pair<Grid, Grid>& field);
  void draw_trajectories(const RunView& run, const View& vw, const Box& world, float alpha, bool coarse,
                         const CanvasRect& r);
  void draw_paths(const RunView& run, const View& vw, const Box& world, const CanvasRect& r, bool coarse);
  void draw_overlay(const std::vector<RunView>& ov, int frame);
  void draw_particles(const RunView& rv, const View& vw, gl::VertexArray& vao, gl::Buffer& vbo, const float* rgba);

  gl::Program points_, heat_, density_;
  gl::Texture time_map_, heat_tex_;
  Lines traj_;
  std::vector<Lines> overlay_;
  gl::VertexArray data_vao_, part_vao_, quad_vao_, arrow_vao_, compare_vao_;
  gl::Buffer data_vbo_, part_vbo_, quad_vbo_, arrow_vbo_, compare_vbo_;
  std::size_t data_count_ = 0, arrow_count_ = 0;
  std::shared_ptr<const Points> data_of_;
  std::uint64_t traj_version_ = 0, heat_version_ = 0;
  std::vector<std::uint64_t> overlay_versions_;
  int traj_shown_ = -1, traj_stride_ = 1;
  std::size_t last_vertices_ = 0;
  GLuint acc_fbo_ = 0;  // the density blend's float accumulation target
  gl::Texture acc_tex_;
  int acc_w_ = 0, acc_h_ = 0;
  // What the accumulation holds: the lines of this run up to acc_upto_ vertices each, in
  // this world rectangle. Playback adds only the new steps; a still picture draws no line.
  std::uint64_t acc_version_ = 0;
  int acc_lines_ = -1, acc_upto_ = 0, acc_stride_ = 1;
  Box acc_world_{0, 0, 0, 0};
  gl::VertexArray paths_vao_;
  gl::Buffer paths_vbo_;
  std::vector<Eigen::Index> path_ids_;  // the few paths' particles, for path_key_
  std::uint64_t path_key_ = 0;
  GLuint fbo_ = 0;  // the offscreen target (animations), made on first use
  gl::Texture fbo_tex_;
  int fbo_w_ = 0, fbo_h_ = 0;
};

}  // namespace hbar::app
