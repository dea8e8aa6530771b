// The window's pictures: screenshots (the window, the canvas as shown, or drawn again
// offscreen at 2x / 4x with its annotations), animation frames and recordings.
#include "app.hpp"

namespace hbar::app {

namespace {
// The world rectangle of a w × h image of the canvas: its centre, its extent fitted in.
Box fitted_world(const Box& b, int w, int h) {
  const double scale = std::max(b.width() / w, b.height() / h);
  const double cx = (b.xmin + b.xmax) / 2, cy = (b.ymin + b.ymax) / 2;
  return Box{cx - scale * w / 2, cx + scale * w / 2, cy - scale * h / 2, cy + scale * h / 2};
}
}  // namespace

Annotations App::image_annotations(double h, int step, const RunView* run, const char* approx) const {
  if (!ui_.view.annotate) return {};
  Annotations a = canvas_annotations(ui_);
  double t = 0;
  if (run && run->result) {
    const auto& times = run->result->trajectories.times;
    if (!times.empty()) t = times[static_cast<std::size_t>(std::clamp(step, 0, static_cast<int>(times.size()) - 1))];
  }
  char cap[200];
  std::snprintf(cap, sizeof cap, "h = %.3f   t = %.3f   %s, %s%s", h, t, ui_.status.scene_label.c_str(),
                ui_.status.score_kind, run && !run->exact ? approx : "");
  a.caption = cap;
  return a;
}

void App::start_recording(const std::string& path, int fps) {
  if (rec_) {
    report("record failed: already recording to " + rec_->path() + " (record stop ends it)");
    return;
  }
  // An animation's size (anim-width × anim-height), the canvas fitted into it.
  const int w = ui_.view.anim_width, h = ui_.view.anim_height;
  try {
    rec_ = std::make_unique<VideoEncoderThread>(path, w, h, fps);
  } catch (const std::exception& e) {
    report(std::string("record failed: ") + e.what());
    return;
  }
  rec_fps_ = fps, rec_w_ = w, rec_h_ = h;
  rec_next_ = now_;
  report("recording the canvas to " + path + " (record stop ends it)");
}

void App::stop_recording() {
  if (!rec_) {
    report("record stop: nothing is being recorded");
    return;
  }
  try {
    const int n = rec_->frames();
    rec_->finish();
    report("Saved " + rec_->path() + " (" + std::to_string(n) + " frames)");
  } catch (const std::exception& e) {
    rec_->abort();
    report(std::string("record failed: ") + e.what());
  }
  rec_.reset();
}

// A recording's frame: the canvas drawn again offscreen at the recording's size, with its
// annotations; a slow frame is repeated so the recording keeps the clock's time.
void App::record_frame() {
  if (!rec_ || now_ < rec_next_) return;
  const int w = rec_w_, h = rec_h_;
  const Box world = fitted_world(ui_.layout.canvas_world, w, h);
  View v = ui_.view;
  v.point_size = std::max(1.0, v_point_scale(h) * ui_.view.point_size);
  const CanvasContent k = content_of(controller_, ui_);
  const Annotations a = image_annotations(ui_.settings.h, ui_.view.frame, k.run);
  std::vector<std::uint8_t> px = renderer_.draw_offscreen(k, v, world, w, h, [&] { render_annotations(w, h, a); });
  try {
    if (px.empty()) throw std::runtime_error("the offscreen canvas could not be drawn");
    int copies = 0;
    while (rec_next_ <= now_ && copies < 10) {
      rec_->add_frame(px.data());
      rec_next_ += 1.0 / rec_fps_;
      ++copies;
    }
    if (rec_next_ <= now_) rec_next_ = now_ + 1.0 / rec_fps_;  // a long stall is cut, not replayed
  } catch (const std::exception& e) {
    rec_->abort();
    rec_.reset();
    report(std::string("record failed: ") + e.what());
  }
}

void App::take_shots(const Layout& l, int fbw, int fbh, float sx, float sy) {
  // The pixels are read here (GL, this thread); the PNG is encoded and written by the
  // export feature in the background, which says "Saved …" or why it failed.
  const auto write_later = [&](const std::string& path, int w, int h, std::vector<std::uint8_t> px) {
    controller_.queue_file(path, [path, w, h, px = std::move(px)](Progress&) { write_png(path, w, h, px); });
  };
  const auto shot = [&](const Shot& s) {
    try {
      if (s.canvas && (s.scale > 1 || s.transparent || !ui_.view.annotate)) {
        // A print-ready canvas: drawn again offscreen, scale × the pixels, with the colour
        // bars, legend and caption unless `annotate` is off (then the bare canvas).
        const int w = static_cast<int>(l.cw * sx) * s.scale, h = static_cast<int>(l.ch * sy) * s.scale;
        View v = ui_.view;
        v.point_size *= s.scale;
        // Space-time: the density area fills the figure (the axes are the window's overlay).
        const Box world = controller_.spacetime().shown() ? spacetime_figure_box(controller_.spacetime().view().area)
                                                          : ui_.layout.canvas_world;
        CanvasContent k = content_of(controller_, ui_);
        k.transparent = s.transparent;
        const Annotations a = image_annotations(ui_.settings.h, ui_.view.frame, k.run);
        std::vector<std::uint8_t> px = renderer_.draw_offscreen(k, v, world, w, h, [&] { render_annotations(w, h, a); });
        if (px.empty()) throw std::runtime_error("the offscreen canvas could not be drawn");
        write_later(s.path, w, h, std::move(px));
      } else if (s.canvas) {
        // What the window shows there, its overlay included.
        const int w = static_cast<int>(l.cw * sx), h = static_cast<int>(l.ch * sy);
        write_later(s.path, w, h, read_pixels(static_cast<int>(l.cx * sx), static_cast<int>((l.status + l.plots) * sy), w, h));
      } else {
        write_later(s.path, fbw, fbh, read_pixels(0, 0, fbw, fbh));
      }
    } catch (const std::exception& e) {
      report(std::string("screenshot failed: ") + e.what());
    }
  };
  for (const auto& s : shots_) shot(s);
  shots_.clear();
}

// The frame an animation export asks for: its run at its step, the canvas's centre and
// extent fitted into the animation's size, and a caption with h (and t).
void App::render_animation_frame() {
  AnimationTask& anim = controller_.animation();
  // While a person moves the mouse or types, the export draws at most 4 frames a second
  // (a software GL takes ~0.1 s a frame): the window answers first.
  const ImGuiIO& io = ImGui::GetIO();
  const bool busy_hand = io.MouseDown[0] || io.MouseDown[1] || io.MouseDelta.x != 0 || io.MouseDelta.y != 0 ||
                         io.MouseWheel != 0 || io.WantTextInput;
  if (busy_hand && now_ - last_anim_frame_ < 0.25) return;
  const auto req = anim.frame_wanted();
  if (!req) return;
  last_anim_frame_ = now_;
  const AnimationSpec& spec = anim.spec();
  View av = ui_.view;
  Box world = fitted_world(ui_.layout.canvas_world, spec.width, spec.height);
  av.frame = req->step;
  av.point_size = std::max(1.0, v_point_scale(spec.height) * ui_.view.point_size);
  CanvasContent k;
  k.data = ui_.view.show_data ? controller_.data_points() : nullptr;
  k.run = &req->run;
  k.heat = spec.heat ? &controller_.heat() : nullptr;
  RunView projected;
  const SpaceTimeTask& stt = controller_.spacetime();
  if (stt.shown() && !stt.view().toy) {
    // Space-time: the frame's run projected, over the density, the area filling the frame
    // (a 4 % margin; the axes are the window's overlay, not the animation's).
    projected = stt.project(req->run);
    world = spacetime_figure_box(stt.view().area);
    k.data = ui_.view.show_data ? stt.view().data : nullptr;
    k.run = &projected;
    k.heat = stt.view().heat.map.grid.nx > 0 ? &stt.view().heat : nullptr;
  }
  k.particles = spec.particles;
  k.trajectories = spec.trajectories && ui_.view.lines > 0;
  Annotations a = image_annotations(req->h, req->step, &req->run, " (grid cache)");
  if (!spec.heat && !stt.shown() && a.bars.size() > 1) a.bars.resize(1);  // no heat map drawn: no heat bar
  const int w = spec.width, h = spec.height;
  anim.deliver(renderer_.draw_offscreen(k, av, world, w, h, [&] { render_annotations(w, h, a); }));
}

}  // namespace hbar::app
