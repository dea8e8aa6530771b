// libFuzzer entry: any bytes either load as a model whose network has the header's
// shape and finite weights, or raise ModelFileError naming the file.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hbar/score/learned_score.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  try {
    hbar::ModelInfo info;
    const hbar::Mlp net = hbar::parse_model(bytes, "fuzz.hbm", info);
    if (net.params().count() != net.shape().count()) std::abort();  // the loader's promise
    for (const auto& w : net.params().w)
      if (!w.allFinite()) std::abort();
    if (!hbar::Schedule::by_name(info.schedule)) std::abort();
  } catch (const hbar::ModelFileError& e) {
    if (std::string_view(e.what()).rfind("fuzz.hbm: ", 0) != 0) std::abort();
  }
  return 0;
}
