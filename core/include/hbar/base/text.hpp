#pragma once
// Small text helpers shared by the core and the front ends.
#include <cctype>
#include <string>
#include <string_view>
#include <vector>

namespace hbar {

// The pieces of `s` between `sep` (an empty piece stays: "a,,b" gives three; "" gives none).
inline std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  std::size_t a = 0;
  for (;;) {
    const std::size_t b = s.find(sep, a);
    out.emplace_back(s.substr(a, b == std::string_view::npos ? std::string_view::npos : b - a));
    if (b == std::string_view::npos) return out;
    a = b + 1;
  }
}

// ASCII lower case (names, choices and file extensions are compared case-blind).
inline std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The text with every control byte (and DEL) spelled out: "\\n", "\\t", "\\0", "\\x1b".
// Messages carry user text (file names, JSON strings, script words) through it, so a NUL
// cannot cut a message short and an escape sequence cannot reach the terminal.
inline std::string printable(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c != 0x7f) {
      out += ch;
      continue;
    }
    switch (c) {
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      case '\r': out += "\\r"; break;
      case 0: out += "\\0"; break;
      default: {
        static const char* hex = "0123456789abcdef";
        out += "\\x";
        out += hex[c >> 4];
        out += hex[c & 15];
      }
    }
  }
  return out;
}

}  // namespace hbar
