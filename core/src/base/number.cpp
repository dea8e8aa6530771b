#include "hbar/base/number.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>
#include <string>

namespace hbar {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

// JSON's number grammar, the whole string.
bool json_number(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '-') ++i;
  if (i >= n || !digit(s[i])) return false;
  if (s[i] == '0') ++i;
  else
    while (i < n && digit(s[i])) ++i;
  if (i < n && s[i] == '.') {
    ++i;
    if (i >= n || !digit(s[i])) return false;
    while (i < n && digit(s[i])) ++i;
  }
  if (i < n && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < n && (s[i] == '+' || s[i] == '-')) ++i;
    if (i >= n || !digit(s[i])) return false;
    while (i < n && digit(s[i])) ++i;
  }
  return i == n;
}

}  // namespace

NumberStatus parse_number(std::string_view s, double& value, NumberSyntax syntax) {
  if (syntax == NumberSyntax::kData) {
    if (!s.empty() && s.front() == '+') s.remove_prefix(1);  // from_chars takes no '+'
    if (s.empty() || s.front() == '+') return NumberStatus::kNotNumber;
  } else if (!json_number(s)) {
    return NumberStatus::kNotNumber;
  }
  const char* end = s.data() + s.size();
  double v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), end, v, std::chars_format::general);
  // A tail such as "4abc" stops the parse early: the whole text must be a number.
  if (ec == std::errc::invalid_argument || ptr != end) return NumberStatus::kNotNumber;
  if (ec == std::errc::result_out_of_range) {
    // Overflow is an error; underflow is a tiny number, rounded as strtod rounds it.
    const std::string copy(s);
    const double r = std::strtod(copy.c_str(), nullptr);
    if (std::isinf(r)) return NumberStatus::kOverflow;
    value = r;
    return NumberStatus::kOk;
  }
  if (!std::isfinite(v)) return NumberStatus::kNotFinite;  // "nan", "inf" (data syntax only)
  value = v;
  return NumberStatus::kOk;
}

bool parse_integer(std::string_view s, long long& value) {
  std::size_t i = (!s.empty() && s.front() == '-') ? 1 : 0;
  if (i >= s.size() || !digit(s[i]) || (s[i] == '0' && s.size() > i + 1)) return false;
  for (std::size_t k = i; k < s.size(); ++k)
    if (!digit(s[k])) return false;
  long long v = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || ptr != s.data() + s.size()) return false;  // beyond long long
  value = v;
  return true;
}

std::string number_error(NumberStatus status) {
  switch (status) {
    case NumberStatus::kOk: return {};
    case NumberStatus::kOverflow: return "is beyond the largest number (1.8e308)";
    case NumberStatus::kNotFinite: return "is not finite";
    default: return "is not a number";
  }
}

}  // namespace hbar
