// libFuzzer entry: any bytes either parse to ≥ 2 finite points or raise CsvError.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "hbar/io/csv.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const hbar::Points p = hbar::parse_points_csv(text, "fuzz.csv");
    // The loader's promise: at least 2 finite points, each coordinate within ±kMaxCoordinate.
    if (p.rows() < 2 || !p.allFinite() || p.cwiseAbs().maxCoeff() > hbar::kMaxCoordinate) std::abort();
  } catch (const hbar::CsvError& e) {
    if (e.file() != "fuzz.csv" || e.reason().empty()) std::abort();
  }
  return 0;
}
