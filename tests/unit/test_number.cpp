// The one number syntax (hbar/base/number.hpp): JSON's grammar for settings, CSV's laxer one.
#include <doctest/doctest.h>

#include <cmath>
#include <limits>
#include <string>

#include "hbar/base/number.hpp"

using namespace hbar;

TEST_CASE("setting syntax: JSON's numbers, nothing else") {
  struct Case {
    const char* text;
    bool ok;
    double value;
  };
  const Case cases[] = {
      {"0", true, 0},        {"-0", true, -0.0},         {"0.5", true, 0.5},     {"10", true, 10},
      {"1e3", true, 1000},   {"1E-2", true, 0.01},       {"2.5e+1", true, 25},   {"-7.25", true, -7.25},
      {"+5", false, 0},      {"0x1p3", false, 0},        {".5", false, 0},       {"5.", false, 0},
      {"05", false, 0},      {"inf", false, 0},          {"nan", false, 0},      {"", false, 0},
      {" 1", false, 0},      {"1 ", false, 0},           {"1e", false, 0},       {"1e+", false, 0},
      {"--1", false, 0},     {"1,5", false, 0},          {"0.5f", false, 0},     {"Infinity", false, 0},
  };
  for (const Case& c : cases) {
    CAPTURE(c.text);
    double v = 42;
    const NumberStatus st = parse_number(c.text, v);
    CHECK((st == NumberStatus::kOk) == c.ok);
    if (c.ok) CHECK(v == c.value);
    else CHECK(v == 42);  // untouched
  }
}

TEST_CASE("overflow is refused, underflow rounds as IEEE arithmetic does") {
  double v = 1;
  CHECK(parse_number("1e400", v) == NumberStatus::kOverflow);
  CHECK(parse_number("-1e400", v) == NumberStatus::kOverflow);
  CHECK(number_error(NumberStatus::kOverflow).find("largest") != std::string::npos);
  REQUIRE(parse_number("1e-400", v) == NumberStatus::kOk);
  CHECK(v == 0.0);
  REQUIRE(parse_number("1e-320", v) == NumberStatus::kOk);
  CHECK(v > 0);
  CHECK(v < std::numeric_limits<double>::min());  // a subnormal, as strtod gives it
  REQUIRE(parse_number("1.7976931348623157e308", v) == NumberStatus::kOk);
  CHECK(v == std::numeric_limits<double>::max());
}

TEST_CASE("data syntax (CSV) also takes '+', '.5' and '5.' but no hex, inf or nan") {
  double v = 0;
  CHECK(parse_number("+1.5", v, NumberSyntax::kData) == NumberStatus::kOk);
  CHECK(v == 1.5);
  CHECK(parse_number(".5", v, NumberSyntax::kData) == NumberStatus::kOk);
  CHECK(v == 0.5);
  CHECK(parse_number("5.", v, NumberSyntax::kData) == NumberStatus::kOk);
  CHECK(parse_number("0x10", v, NumberSyntax::kData) == NumberStatus::kNotNumber);
  CHECK(parse_number("++1", v, NumberSyntax::kData) == NumberStatus::kNotNumber);
  CHECK(parse_number("inf", v, NumberSyntax::kData) == NumberStatus::kNotFinite);
  CHECK(parse_number("nan", v, NumberSyntax::kData) == NumberStatus::kNotFinite);
}

TEST_CASE("whole numbers: the same grammar without fraction or exponent, within long long") {
  long long n = 7;
  CHECK(parse_integer("0", n));
  CHECK(n == 0);
  CHECK(parse_integer("-12", n));
  CHECK(n == -12);
  CHECK(parse_integer("9223372036854775807", n));
  CHECK(n == std::numeric_limits<long long>::max());
  n = 7;
  for (const char* bad : {"+1", "1.0", "1e3", "01", "0x10", "", " 1", "9223372036854775808", "-"}) {
    CAPTURE(bad);
    CHECK_FALSE(parse_integer(bad, n));
    CHECK(n == 7);
  }
}
