#pragma once
// Draws the canvas: heat map, drift arrows, training data, trajectories coloured by
// time, overlay runs and the particles at the current step. Everything it draws
// was computed by the Controller; this only uploads and draws (main thread).
#include <cstdint>
#include <memory>
#include <vector>

#include "../controller.hpp"
#include "../gl/objects.hpp"

namespace hbar::app {

struct CanvasRect {
  int x = 0, y = 0, w = 1, h = 1;  // GL viewport (origin bottom-left)
};

class CanvasRenderer {
 public:
  CanvasRenderer();
  void draw(const Controller& c, const UiState& ui, const CanvasRect& r);
  // Vertices drawn last frame (for the frame-time benchmark).
  std::size_t last_vertices() const { return last_vertices_; }

 private:
  struct Lines {
    gl::VertexArray vao;
    gl::Buffer vbo;
    std::vector<GLint> first;
    std::vector<GLsizei> count;
    int per_line = 0;
  };
  void upload_lines(Lines& l, const SampleResult& r, std::size_t max_lines, double t_first, double t_last);
  void upload_points(gl::VertexArray& vao, gl::Buffer& vbo, const std::vector<float>& xyz);
  void set_common(const UiState& ui, const CanvasRect& r, float point_size);
  GLint uniform(const char* name) const;  // of the points program
  // The layers, back to front.
  void draw_heat(const HeatView& heat, const View& vw);
  void draw_data(const std::shared_ptr<const Points>& data, const View& vw, bool alone);
  void draw_arrows(const std::pair<Grid, Grid>& field);
  void draw_trajectories(const RunView& run, const View& vw, float alpha);
  void draw_overlay(const std::vector<RunView>& ov, int frame);
  void draw_particles(const RunView& rv, const View& vw, gl::VertexArray& vao, gl::Buffer& vbo, const float* rgba);

  gl::Program points_, heat_;
  gl::Texture time_map_, heat_tex_;
  Lines traj_;
  std::vector<Lines> overlay_;
  gl::VertexArray data_vao_, part_vao_, quad_vao_, arrow_vao_, compare_vao_;
  gl::Buffer data_vbo_, part_vbo_, quad_vbo_, arrow_vbo_, compare_vbo_;
  std::size_t data_count_ = 0, arrow_count_ = 0;
  std::shared_ptr<const Points> data_of_;
  std::uint64_t traj_version_ = 0, heat_version_ = 0;
  std::vector<std::uint64_t> overlay_versions_;
  int traj_shown_ = -1;
  std::size_t last_vertices_ = 0;
};

}  // namespace hbar::app
