#include "paper_models.hpp"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

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
  const char* env = std::getenv("HBAR_MODELS_DIR");
  const std::filesystem::path dir = env && *env ? std::filesystem::path(env) : std::filesystem::path(HBAR_MODELS_DIR);
  return (dir / (data + "_" + schedule + ".hbm")).string();
}

std::string model_file_of(const SceneSettings& s) {
  return model_file(s.model_path, s.points || !s.data_file.empty() ? std::string() : s.data, s.schedule);
}

}  // namespace hbar::app
