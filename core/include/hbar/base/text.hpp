#pragma once
// Small text helpers shared by the core and the front ends.
#include <cctype>
#include <string>
#include <string_view>

namespace hbar {

// ASCII lower case (names, choices and file extensions are compared case-blind).
inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

}  // namespace hbar
