// Training a network on the scene's data in the background (one core), with the
// exact score's loss as the floor, pause, resume and cancel.
#include <chrono>
#include <thread>

#include "hbar/score/learned_score.hpp"
#include "hbar/training/train.hpp"
#include "tasks.hpp"

namespace hbar::app {

void TrainTask::pause(bool p, Status& s) {
  s.train.paused = p && task_.busy();
  pause_->store(s.train.paused);
}

void TrainTask::cancel(Status& s) {
  requested_ = false;
  cancelling_ = task_.busy();
  task_.cancel();
  pause_->store(false);
  s.train.paused = false;
  s.train.outcome = cancelling_ ? "cancelling" : "cancelled";
}

std::string TrainTask::update(const TaskContext& c, const std::string& model_path) {
  TrainHistory& h = c.status.train;
  std::string finished;
  if (auto r = task_.take()) {
    const bool paused = h.paused;
    h = std::move(*r);
    h.paused = paused;
    if (h.outcome.rfind("done: ", 0) == 0) finished = h.outcome.substr(6);
  }
  if (requested_) {
    // It trains on the data of the current settings' scene.
    if (c.scene_current) start(c, model_path);
    else h.outcome = "waiting for the scene";
  }
  if (!task_.busy() && cancelling_) {
    cancelling_ = false;
    h.outcome = "cancelled";
  }
  if (!task_.busy()) h.paused = false;
  return finished;
}

void TrainTask::start(const TaskContext& c, const std::string& path) {
  requested_ = false;
  cancelling_ = false;
  const auto sc = c.scene;
  TrainConfig cfg;
  cfg.shape = {c.settings.train_width, c.settings.train_depth};
  cfg.seed = sc->settings.seed;
  cfg.threads = 1;  // the other core stays with the interactive runs
  const long steps = c.settings.train_steps;
  TrainHistory& h = c.status.train;
  h = TrainHistory{};
  h.width = cfg.shape.width;
  h.depth = cfg.shape.depth;
  h.outcome = "starting";
  pause_->store(false);
  const auto pause = pause_;
  task_.start([sc, cfg, steps, path, pause](Progress& p, const Task<TrainHistory>::Stage& stage,
                                           const Task<TrainHistory>::Post& post) {
    TrainHistory u;
    u.width = cfg.shape.width;
    u.depth = cfg.shape.depth;
    ScoreTrainer tr(sc->data, sc->schedule, cfg);
    // The floor: the exact score's loss on the same evaluation batches (DSM differs
    // from the score error by a constant, so a perfect network ends here).
    stage("loss of the exact score (the floor)");
    u.floor = tr.evaluation_loss_of(*sc->exact);
    double acc = 0;
    int acc_n = 0;
    const auto t0 = std::chrono::steady_clock::now();
    for (long k = 1; k <= steps; ++k) {
      while (pause->load() && !p.cancelled()) std::this_thread::sleep_for(std::chrono::milliseconds(30));
      if (p.cancelled()) throw Cancelled();
      acc += tr.step();
      ++acc_n;
      // The evaluation loss uses the floor's draws: their difference estimates the
      // network's g²-weighted score error (exactly so in expectation).
      if (k % kEvalEvery == 0 || k == steps) {
        u.eval_step.push_back(static_cast<double>(k));
        u.eval_loss.push_back(tr.evaluation_loss());
      }
      if (k % kLossEvery == 0 || k == steps) {
        u.step.push_back(static_cast<double>(k));
        u.loss.push_back(acc / acc_n);
        acc = 0;
        acc_n = 0;
        const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
        char buf[96];
        std::snprintf(buf, sizeof buf, "step %ld/%ld, %.0f steps/s, loss %.3f", k, steps, k / el, u.loss.back());
        stage(buf);
        u.outcome = buf;
        p.fraction.store(static_cast<double>(k) / static_cast<double>(steps));
        post(u);
      }
    }
    ModelInfo info;
    info.schedule = sc->schedule.name();
    info.output = tr.output();
    info.sigma_data = tr.sigma_data();
    info.data = sc->label;
    info.steps = steps;
    info.final_loss = u.eval_loss.back();  // evaluated at k == steps above
    info.batch = cfg.batch;
    info.lr = cfg.lr;
    info.seed = cfg.seed;
    save_model(path, tr.net(), info);
    u.outcome = "done: " + path;
    post(u);
  });
}

}  // namespace hbar::app
