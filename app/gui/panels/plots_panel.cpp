#include <imgui.h>

#include <cmath>

#include <algorithm>
#include <cstdio>

#include "../tasks/tasks.hpp"
#include "../widgets/plot.hpp"
#include "hbar/training/train.hpp"
#include "panels.hpp"
#include "setting_table.hpp"

namespace hbar::app {
namespace {

// A task's progress bar with Cancel while it runs, else a button that starts it.
void task_row(UiState& ui, TaskKind k, const char* task_word, const char* run_label, float w) {
  const TaskStatus& t = ui.status.task(k);
  ImGui::PushID(task_word);
  if (t.running) {
    ImGui::ProgressBar(static_cast<float>(t.progress), ImVec2(w - 80, 0), t.stage.c_str());
    ImGui::SameLine();
    if (ImGui::Button("Cancel")) ui.push({"cancel", task_word});
  } else if (ImGui::Button(run_label)) {
    ui.push({"run", task_word});
  }
  ImGui::PopID();
}

// A "(?)" after a plot's run button: its tooltip holds the caption, the formula and the method.
void plot_help(const std::string& caption, const char* help) {
  ImGui::SameLine();
  ImGui::TextDisabled("(?)");
  if (!ImGui::IsItemHovered()) return;
  ImGui::BeginTooltip();
  ImGui::PushTextWrapPos(ImGui::GetFontSize() * 32);
  ImGui::TextUnformatted(caption.c_str());
  ImGui::Separator();
  ImGui::TextUnformatted(help);
  ImGui::PopTextWrapPos();
  ImGui::EndTooltip();
}

void training_row(UiState& ui, float x0, float w) {
  const Status& st = ui.status;
  if (!st.task(TaskKind::kTrain).running) {
    ImGui::TextDisabled("%s", st.train.outcome.c_str());
    return;
  }
  const ImGuiStyle& style = ImGui::GetStyle();
  const float buttons = ImGui::CalcTextSize("ResumeCancel").x + 4 * style.FramePadding.x + 2 * style.ItemSpacing.x;
  const float bw = x0 + w - ImGui::GetCursorScreenPos().x - buttons;
  ImGui::ProgressBar(static_cast<float>(st.task(TaskKind::kTrain).progress), ImVec2(std::max(bw, 60.0f), 0),
                     st.train.paused ? "paused" : nullptr);
  ImGui::SameLine();
  if (ImGui::Button(st.train.paused ? "Resume##plot" : "Pause##plot")) ui.push({st.train.paused ? "resume" : "pause", "train"});
  ImGui::SameLine();
  if (ImGui::Button("Cancel##trainplot")) ui.push({"cancel", "train"});
}

}  // namespace

std::vector<Curve> plot_curves(const std::string& which, const std::vector<Curve>& curves) {
  std::vector<Curve> out;
  for (const Curve& c : curves) {
    const char* g = c.group == PlotGroup::kToy ? "toy" : c.group == PlotGroup::kTraining ? "train"
                    : c.group == PlotGroup::kNll ? "nll" : c.group == PlotGroup::kCTime ? "ct" : "w2";
    if (which == g) out.push_back(c);
  }
  return out;
}

PlotSpec plot_spec(const UiState& ui, const std::string& which, ImVec2 size) {
  const bool light = ui.view.light_theme;
  const bool exact = !ui.settings.scene.learned && !ui.settings.scene.biased;
  char title[160];
  if (which == "w2") {
    const bool quick = ui.status.sweep.size() < static_cast<std::size_t>(SweepTask::kH) && !ui.status.sweep_quick.empty();
    if (quick)
      std::snprintf(title, sizeof title, "W2(h), +-1 s.e.: quick (%d particles x %d steps, %d trials); %d trials follow",
                    ui.status.sweep_quick.front().quick_n, ui.status.sweep_quick.front().quick_steps,
                    SweepTask::kQuickTrials, SweepTask::kTrials);
    else
      std::snprintf(title, sizeof title, "W2(h) to held-out data, %d trials, +-1 s.e.", SweepTask::kTrials);
    return PlotSpec{"w2", title, "h", "W2 (not squared)", size, light, -0.02, 1.02,
                    exact ? "exact score: W2 is flat in h, that is the result"
                          : "approximate score: some noise (h > 0) can help"};
  }
  if (which == "nll") {
    const NllSummary& n = ui.status.nll;
    if (n.escaped > 0)  // their PF paths run beyond |x| = 1e6 (likelihood.hpp): no density
      std::snprintf(title, sizeof title, "NLL(h) at %d held-out points (%d more escaped: left out), +-1 s.e.",
                    n.points - n.escaped, n.escaped);
    else
      std::snprintf(title, sizeof title, "NLL(h) at %d held-out points, +-1 s.e.",
                    n.points > 0 ? n.points : NllTask::kPoints);
    return PlotSpec{"nll", title, "h", "NLL (nats)", size, light, -0.02, 1.02,
                    exact ? "exact score: the same for every h (C = 0)"
                          : "approximate score: C > 0 means noise lowers it"};
  }
  if (which == "ct") {
    std::snprintf(title, sizeof title, "when does noise help: c(t) at %d held-out points, +-1 s.e.",
                  ui.status.nll.points > 0 ? ui.status.nll.points : NllTask::kPoints);
    return PlotSpec{"ct", title, "t", "c (nats per unit h and time)", size, light, NAN, NAN,
                    "c > 0: noise at that time lowers the NLL"};
  }
  if (which == "train") {
    const TrainHistory& t = ui.status.train;
    std::snprintf(title, sizeof title, "DSM training loss, %d x %d MLP, Adam batch %d", t.width, t.depth,
                  TrainConfig{}.batch);
    return PlotSpec{"train", title, "Adam step", "training loss", size, light, NAN, NAN,
                    "lower: a better score (the green line is the exact score's)"};
  }
  return PlotSpec{"toy", "A 1-D toy model, solved exactly: NLL and W2 against h", "h", "NLL (nats) and W2", size,
                  light, NAN, NAN, "a score biased by epsilon: noise helps"};
}

void plots_panel(UiState& ui, const std::vector<Curve>& curves) {
  const ImGuiStyle& st = ImGui::GetStyle();
  const float avail_w = ImGui::GetContentRegionAvail().x;
  const float h = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing();
  const float w = (avail_w - 2 * st.ItemSpacing.x) / 3;
  const std::vector<Curve> train = plot_curves("train", curves);

  ImGui::BeginGroup();
  const PlotSpec w2 = plot_spec(ui, "w2", ImVec2(w, h));
  plot(w2, plot_curves("w2", curves));
  task_row(ui, TaskKind::kSweep, "sweep", "Run W2(h) sweep", w);
  plot_help(w2.caption,
                   "W2(h): the Wasserstein-2 distance (not squared) between samples generated with noise level h "
                   "and held-out draws of the data; lower is better. 'exact': the optimal transport between the two "
                   "point sets (network simplex). 'sliced bound': sqrt(2 SW2^2) over 64 random directions, a fast "
                   "lower bound of W2. h = 0 is the probability-flow ODE, h = 1 the reverse SDE (SCIENCE.md 3, 7). "
                   "Each point: the mean of 3 trials, +-1 standard error.");
  ImGui::EndGroup();
  ImGui::SameLine();
  ImGui::BeginGroup();
  const PlotSpec nll = plot_spec(ui, "nll", ImVec2(w, h));
  plot(nll, plot_curves("nll", curves));
  task_row(ui, TaskKind::kNll, "nll", "Run NLL(h)", w);
  plot_help(nll.caption,
                   "NLL(h): the mean negative log-likelihood (nats) the generative dynamics at noise level h gives to "
                   "held-out points; lower is better. At h = 0 it is the probability-flow ODE's (exact, with its "
                   "standard error). The tangent NLL(0) - h C is the first order of the WKB expansion in h "
                   "(SCIENCE.md 5); 'exact' solves the Fokker-Planck equation on a grid (its legend says how far it "
                   "is from the ODE at h = 0).");
  ImGui::EndGroup();
  ImGui::SameLine();
  // The third plot: the 1-D toy model, or the training loss once a network trains.
  ImGui::BeginGroup();
  const float x0 = ImGui::GetCursorScreenPos().x;
  const bool can_train_plot = ui.status.task(TaskKind::kTrain).running || !train.empty();
  const bool show_training = ui.view.plot_training && can_train_plot;
  if (show_training)
    plot(plot_spec(ui, "train", ImVec2(w, h)), train);
  else
    plot(plot_spec(ui, "toy", ImVec2(w, h)), plot_curves("toy", curves));
  if (can_train_plot) {
    int which = show_training ? 1 : 0;
    if (ImGui::RadioButton("toy", &which, 0)) set_key(ui, "plot-training", "off");
    ImGui::SameLine();
    if (ImGui::RadioButton("loss", &which, 1)) set_key(ui, "plot-training", "on");
    ImGui::SameLine();
  }
  if (show_training) {
    training_row(ui, x0, w);
  } else {
    ImGui::SetNextItemWidth(w * 0.4f);
    float eps = static_cast<float>(ui.settings.toy_eps);
    if (ImGui::SliderFloat("toy score bias epsilon", &eps, 0.0f, 0.5f, "%.2f")) set_key(ui, "toy-eps", format_number(eps));
  }
  ImGui::EndGroup();
}

}  // namespace hbar::app
