#pragma once
// The one number syntax of every setting hbar takes: CLI options, script `set` lines,
// the app's typed fields and session files. It is JSON's number grammar (RFC 8259 §6),
// so a session file, a script and a command line accept and refuse the same strings:
//     -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
// No leading '+', no hexadecimal (0x1p3), no inf or nan, no spaces. A value beyond the
// largest double is refused (overflow); one below the smallest rounds to 0 as IEEE
// arithmetic does (1e-400 is 0, 1e-320 a subnormal), as JSON readers do.
// CSV data is laxer (NumberSyntax::kData): spreadsheets and numpy write "+1", ".5", "5.".
#include <string>
#include <string_view>

namespace hbar {

enum class NumberSyntax { kSetting, kData };
enum class NumberStatus { kOk, kNotNumber, kNotFinite, kOverflow };

// Parses the whole of `text`; `value` is set only when the result is kOk.
NumberStatus parse_number(std::string_view text, double& value, NumberSyntax syntax = NumberSyntax::kSetting);
// A whole number in the same grammar without fraction or exponent (-?(0|[1-9][0-9]*)),
// within long long.
bool parse_integer(std::string_view text, long long& value);
// Why `text` was refused, for a message: "is not a number", "is beyond the largest
// number (1.8e308)", "is not finite".
std::string number_error(NumberStatus status);

}  // namespace hbar
