#include "paper_models.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "resources.hpp"

namespace hbar::app {

bool has_paper_model(const std::string& data, const std::string& schedule) {
  return (data == "swissroll" || data == "gauss25") && (schedule == "simple" || schedule == "cosine");
}

std::string model_file(const std::string& model, const std::string& data, const std::string& schedule) {
  if (model != kPaperModel) return model;
  if (!has_paper_model(data, schedule))
    throw std::invalid_argument(std::string("the ") + kPaperModelLabel +
                                " exists for swissroll and gauss25 with SIMPLE or COSINE, not for " +
                                (data.empty() ? std::string("a file's data") : data) + " with " + schedule);
  // HBAR_MODELS_DIR overrides (tests, a retrained set); else the models shipped next to
  // the program (resources.hpp): no source or build path is compiled in.
  std::filesystem::path dir;
  if (const char* env = std::getenv("HBAR_MODELS_DIR"); env && *env) dir = env;
  else if (const auto res = resource_dir(); !res.empty()) dir = res / "models";
  else
    throw std::invalid_argument(std::string("the ") + kPaperModelLabel +
                                " is not installed: no share/hbar beside the program (set HBAR_DATA_DIR or HBAR_MODELS_DIR)");
  return (dir / (data + "_" + schedule + ".hbm")).string();
}

std::string model_file_of(const SceneSettings& s) {
  return model_file(s.model_path, s.points || !s.data_file.empty() ? std::string() : s.data, s.schedule);
}

}  // namespace hbar::app
