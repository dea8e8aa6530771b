// hbar-cli train: the paper's score network by denoising score matching (SCIENCE.md §4).
#include <chrono>
#include <cmath>
#include <cstdio>

#include "commands.hpp"
#include "common.hpp"
#include "hbar/score/learned_score.hpp"
#include "hbar/training/train.hpp"

namespace hbar::cli {

void add_train_command(CLI::App& app) {
  struct Opts {
    DataOptions data;
    std::string schedule = "simple", out;
    long long steps = 80000, batch = 512;
    double lr = 1e-3;
    int width = 128, depth = 3;
    bool json = false;
  };
  auto o = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand("train", "train the score network (denoising score matching, Adam)");
  o->data.add_to(*cmd, "--data-n", "points drawn from a built-in set (the training set)");
  cmd->add_option("--schedule", o->schedule, "the forward process and its objective: simple | cosine (score), edm (EDM's denoiser) | linear (flow matching)")->capture_default_str();
  cmd->add_option("--steps", o->steps, "Adam steps")->capture_default_str();
  cmd->add_option("--batch", o->batch, "minibatch size")->capture_default_str();
  cmd->add_option("--lr", o->lr, "Adam learning rate")->capture_default_str();
  cmd->add_option("--width", o->width, "units per hidden layer")->capture_default_str();
  cmd->add_option("--depth", o->depth, "hidden layers")->capture_default_str();
  cmd->add_option("--out", o->out, "the model file to write (F.hbm)")->required();
  cmd->add_flag("--json", o->json, "print one JSON object on stdout");
  cmd->callback([o, cmd] {
    require_positive(o->steps, "--steps");
    require_positive(o->batch, "--batch");
    if (o->width < 1 || o->width > 4096) throw UsageError("--width must be from 1 to 4096");
    if (o->depth < 1 || o->depth > 64) throw UsageError("--depth must be from 1 to 64");
    if (!(o->lr > 0) || !std::isfinite(o->lr)) throw UsageError("--lr must be > 0");
    if (o->out.size() < 5 || o->out.substr(o->out.size() - 4) != ".hbm")
      throw UsageError("--out must name a .hbm file (got '" + o->out + "')");
    const auto sched = Schedule::by_name(o->schedule);
    if (!sched) throw UsageError("unknown schedule '" + o->schedule + "' (choose simple or cosine)");
    OutputSet outs;  // checked before the training, written by save_model
    expect_outputs(*cmd, outs, {{"--out", &o->out}});
    const Points data = o->data.load();
    TrainConfig c;
    c.shape = {o->width, o->depth};
    c.batch = static_cast<int>(o->batch);
    c.lr = static_cast<float>(o->lr);
    c.seed = o->data.seed;
    ScoreTrainer trainer(data, *sched, c);
    using clock = std::chrono::steady_clock;
    const auto t0 = clock::now();
    auto last = t0;
    double recent = 0;
    long recent_n = 0;
    for (long long k = 1; k <= o->steps; ++k) {
      recent += trainer.step();
      ++recent_n;
      const auto now = clock::now();
      if (now - last >= std::chrono::seconds(2) || (k == o->steps && now - t0 > std::chrono::seconds(1))) {
        const double el = std::chrono::duration<double>(now - t0).count();
        std::fprintf(stderr, "train: step %lld/%lld  %.0f steps/s  loss %.4f  ~%.0f s left\n", k, o->steps, k / el,
                     recent / recent_n, el * (o->steps - k) / k);
        recent = 0;
        recent_n = 0;
        last = now;
      }
    }
    const double secs = seconds_since(t0);
    ModelInfo info;
    info.schedule = sched->name();
    info.output = trainer.output();
    info.sigma_data = trainer.sigma_data();
    info.data = o->data.label();
    info.steps = static_cast<long>(o->steps);
    info.final_loss = trainer.evaluation_loss();
    info.batch = c.batch;
    info.lr = o->lr;
    info.seed = c.seed;
    save_model(o->out, trainer.net(), info);
    const nlohmann::json j = {{"steps", o->steps},
                              {"final_loss", info.final_loss},
                              {"seconds", secs},
                              {"steps_per_second", static_cast<double>(o->steps) / secs},
                              {"width", o->width},
                              {"depth", o->depth},
                              {"batch", o->batch},
                              {"lr", o->lr},
                              {"data", info.data},
                              {"schedule", info.schedule}, {"output", net_output_name(info.output)},
                              {"seed", c.seed},
                              {"out", o->out}};
    require_finite(j);
    if (o->json) return print_json(j);
    std::fprintf(summary_out(), "%lld steps in %.1f s (%.0f steps/s), final loss %.5f -> %s\n", o->steps, secs,
                j["steps_per_second"].get<double>(), info.final_loss, o->out.c_str());
  });
}

}  // namespace hbar::cli
